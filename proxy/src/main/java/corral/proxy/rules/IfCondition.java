package corral.proxy.rules;

import corral.proxy.rules.Variables.Variable;

/**
 * The condition of an {@code if}, as nginx's {@code ngx_http_rewrite_if_condition} compiles it:
 * one variable, alone (true unless "" or "0"), compared with {@code =} / {@code !=} to a value
 * that may hold variables, or matched with {@code ~}, {@code ~*}, {@code !~}, {@code !~*}
 * against a regex written literally; or a file test ({@code -f}, {@code -d}, {@code -e},
 * {@code -x}, each also with "!") of a value.
 *
 * @param subject the variable tested; null for a file test
 * @param op      how
 * @param value   for {@link Op#EQUAL}, {@link Op#NOT_EQUAL} and the file tests, else null
 * @param regex   for {@link Op#MATCH} and {@link Op#NOT_MATCH}, else null
 */
record IfCondition(Variable subject, Op op, Template value, NginxRegex regex) {

    enum Op { TRUTHY, EQUAL, NOT_EQUAL, MATCH, NOT_MATCH, FILE, DIR, EXISTS, EXEC, NOT_FILE, NOT_DIR, NOT_EXISTS, NOT_EXEC }

    boolean test(RequestContext ctx) {
        if (subject == null) {
            return FileTest.test(op, value.render(ctx));
        }
        String s = subject.value(ctx);
        return switch (op) {
            case TRUTHY -> !s.isEmpty() && !s.equals("0");
            case EQUAL -> s.equals(value.render(ctx));
            case NOT_EQUAL -> !s.equals(value.render(ctx));
            case MATCH -> matches(s, ctx);
            case NOT_MATCH -> !matches(s, ctx);
            default -> throw new IllegalStateException("a file test with a variable: " + op);
        };
    }

    /**
     * nginx's regex test: a match sets $1.. (and named captures), even for {@code !~}; a
     * failed match forgets $1.. ({@code r->ncaptures = 0}).
     */
    private boolean matches(String s, RequestContext ctx) {
        String[] groups = regex.exec(s);
        if (groups == null) {
            ctx.forgetCaptures();
            return false;
        }
        ctx.matched(regex, groups);
        return true;
    }
}
