package corral.proxy.rules;

/**
 * A directive of nginx's rewrite module, run in order at server or location level: a
 * {@link Rewrite}, {@link Return}, {@link Set}, {@link Break} or {@link If}. As in nginx, an
 * {@code if}'s directives are inlined in the same list, right after it.
 */
sealed interface ScriptOp {

    /** What a rewrite does once its regex matched. */
    enum Flag {
        /** No flag: go on with the next directive; the location is searched again after. */
        NONE,
        /** Stop here and search the location again with the new URI. */
        LAST,
        /** Stop here and stay in this location. */
        BREAK,
        /** Answer with a redirect to the replacement. */
        REDIRECT
    }

    /**
     * {@code rewrite regex replacement [flag]}.
     *
     * @param regex       matched against the decoded URI
     * @param replacement the new URI, or the redirect target
     * @param flag        what happens on a match
     * @param status      for {@link Flag#REDIRECT}: 301 or 302
     * @param addArgs     false when the replacement ended with "?": drop the request's args
     * @param line        where it is written, for messages
     */
    record Rewrite(NginxRegex regex, Template replacement, Flag flag, int status, boolean addArgs,
                   int line) implements ScriptOp {
    }

    /**
     * {@code return code [text]} or {@code return URL}.
     *
     * @param status the code
     * @param text   the body or, for 301/302/303/307/308, the Location; null when none
     */
    record Return(int status, Template text) implements ScriptOp {
    }

    /** {@code set $name value}: the variable (shared with named captures of that name) gets the value. */
    record Set(String name, Template value) implements ScriptOp {
    }

    /** {@code break}: the script stops; a URI it changed stays in this location. */
    record Break() implements ScriptOp {
    }

    /**
     * {@code if (condition) { ... }}: its directives are the next {@code skip} ops, skipped when
     * the condition is false; when it is true they run, and so do the ops after them (nginx
     * compiles the block into its parent's code). In a location, a true {@code if} also makes
     * its block the location's configuration: its own {@code proxy_pass}, else the location's.
     *
     * @param proxy its own {@code proxy_pass}, null when none (then the location's is used)
     */
    record If(IfCondition condition, int skip, boolean inLocation,
              LocationBlock.ProxyTarget proxy, int line) implements ScriptOp {

        If withProxy(LocationBlock.ProxyTarget target) {
            return new If(condition, skip, inLocation, target, line);
        }
    }
}
