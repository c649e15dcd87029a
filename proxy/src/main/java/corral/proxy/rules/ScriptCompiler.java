package corral.proxy.rules;

import corral.proxy.rules.LocationBlock.HeaderRule;
import corral.proxy.rules.ScriptOp.Flag;
import corral.proxy.rules.TemplateParser.TemplateException;
import corral.proxy.rules.Variables.Variable;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.PatternSyntaxException;

/**
 * Compiles the directives that hold regexes and variables: {@code rewrite}, {@code return},
 * {@code proxy_set_header}, and the regexes of locations and server names. Knows every named
 * group of every regex, because nginx makes each one a variable that any directive may use.
 */
final class ScriptCompiler {

    private final Problems problems;
    /** Every named group of every regex so far (lower-cased). */
    private final Set<String> namedGroups = new HashSet<>();
    /** Variables that may be named groups, checked once every regex is known. */
    private final List<PendingVariable> pending = new ArrayList<>();
    /** The first {@code return} that answers with a body of Corral's type (text/plain), or null. */
    private Directive typedReturn;

    private record PendingVariable(String name, Directive where) {
    }

    ScriptCompiler(Problems problems) {
        this.problems = problems;
    }

    /**
     * The first {@code return} answered with a Content-Type (Corral's text/plain, where nginx
     * takes {@code types} and {@code default_type}); null when there is none.
     */
    Directive typedReturn() {
        return typedReturn;
    }

    /** Records every variable that named no built-in and no named group of any regex. */
    void checkVariables() {
        for (PendingVariable v : pending) {
            if (!namedGroups.contains(v.name())) {
                problems.add(v.where(), "unknown variable \"$" + v.name() + "\" (Corral knows: "
                        + Variables.known() + ")");
            }
        }
    }

    /** {@code rewrite regex replacement [flag]}, appended to {@code script} when valid. */
    void rewrite(Directive d, List<ScriptOp> script) {
        if (!problems.expectNoBlock(d) || !problems.expectArgs(d, 2, 3)) {
            return;
        }
        String replacement = d.arg(1);
        if (replacement.isEmpty()) {
            problems.add(d, "empty replacement");
            return;
        }
        boolean toUrl = replacement.startsWith("http://") || replacement.startsWith("https://")
                || replacement.startsWith("$scheme");
        Flag flag = toUrl ? Flag.REDIRECT : Flag.NONE;
        int status = toUrl ? 302 : 0;
        if (d.args().size() == 3) {
            switch (d.arg(2)) {
                case "last" -> flag = toUrl ? flag : Flag.LAST;
                case "break" -> flag = toUrl ? flag : Flag.BREAK;
                case "redirect" -> {
                    flag = Flag.REDIRECT;
                    status = 302;
                }
                case "permanent" -> {
                    flag = Flag.REDIRECT;
                    status = 301;
                }
                default -> {
                    problems.add(d, "invalid rewrite flag \"" + d.arg(2) + "\" (expected last,"
                            + " break, redirect or permanent)");
                    return;
                }
            }
        }
        // a final "?" is not part of the URI: it drops the request's arguments
        boolean addArgs = !replacement.endsWith("?");
        String source = addArgs ? replacement : replacement.substring(0, replacement.length() - 1);
        NginxRegex regex = regex(d, d.arg(0), false);
        Template target = template(d, source, flag != Flag.REDIRECT);
        if (regex != null && target != null) {
            script.add(new ScriptOp.Rewrite(regex, target, flag, status, addArgs, d.line()));
        }
    }

    /** {@code return code [text]} or {@code return URL}, appended when valid. */
    void returnOp(Directive d, List<ScriptOp> script) {
        if (!problems.expectNoBlock(d) || !problems.expectArgs(d, 1, 2)) {
            return;
        }
        String first = d.arg(0);
        int status;
        String text;
        if (first.matches("[0-9]{1,3}")) {
            status = Integer.parseInt(first);
            text = d.args().size() == 2 ? d.arg(1) : null;
        } else if (d.args().size() == 1 && (first.startsWith("http://")
                || first.startsWith("https://") || first.startsWith("$scheme"))) {
            status = 302;
            text = first;
        } else {
            problems.add(d, "invalid return code \"" + first + "\" (expected a code, code text,"
                    + " code URL, or URL)");
            return;
        }
        Template t = text == null ? null : template(d, text, false);
        boolean redirect = status == 301 || status == 302 || status == 303 || status == 307
                || status == 308;
        if (typedReturn == null && !redirect && (text != null || status < 400)) {
            typedReturn = d;
        }
        if (text == null || t != null) {
            script.add(new ScriptOp.Return(status, t));
        }
    }

    /** {@code set $name value}, appended when valid; the name becomes a variable everywhere. */
    void set(Directive d, List<ScriptOp> script) {
        if (!problems.expectNoBlock(d) || !problems.expectArgs(d, 2, 2)) {
            return;
        }
        String target = d.arg(0);
        if (target.length() < 2 || target.charAt(0) != '$') {
            problems.add(d, "invalid variable name \"" + target + "\"");
            return;
        }
        String name = HostHeader.lowerAscii(target.substring(1));
        if (Variables.builtin(name) != null) {
            problems.add(d, "\"set\" of the built-in variable \"$" + name + "\" is not"
                    + " supported by Corral: set a variable of your own name");
            return;
        }
        namedGroups.add(name);
        Template value = template(d, d.arg(1), false);
        if (value != null) {
            script.add(new ScriptOp.Set(name, value));
        }
    }

    /** {@code break}, appended when valid. */
    void breakOp(Directive d, List<ScriptOp> script) {
        if (problems.expectNoBlock(d) && problems.expectArgs(d, 0, 0)) {
            script.add(new ScriptOp.Break());
        }
    }

    /** {@code proxy_set_header name value}, appended when valid. */
    void headerRule(Directive d, List<HeaderRule> into) {
        if (!problems.expectNoBlock(d) || !problems.expectArgs(d, 2, 2)) {
            return;
        }
        Template value = template(d, d.arg(1), false);
        if (value != null) {
            into.add(new HeaderRule(d.arg(0), value));
        }
    }

    /** Compiles a PCRE regex of {@code d}; null (and a problem) when it is invalid. */
    NginxRegex regex(Directive d, String pcre, boolean caseless) {
        try {
            NginxRegex regex = NginxRegex.compile(pcre, caseless);
            namedGroups.addAll(regex.names().keySet());
            return regex;
        } catch (PatternSyntaxException e) {
            problems.add(d, "invalid regex \"" + pcre + "\": " + e.getDescription()
                    + (e.getIndex() >= 0 ? " at offset " + e.getIndex() : ""));
            return null;
        }
    }

    /** A value with variables of {@code d} (a {@code limit_req_zone} key); null when invalid. */
    Template value(Directive d, String source) {
        return template(d, source, false);
    }

    private Template template(Directive d, String source, boolean splitArgs) {
        try {
            return TemplateParser.parse(source, splitArgs, name -> resolve(name, d));
        } catch (TemplateException e) {
            problems.add(d, e.getMessage());
            return null;
        }
    }

    /** A built-in variable, or else (checked at the end) a named group of some regex. */
    private Variable resolve(String name, Directive d) {
        Variable v = Variables.builtin(name);
        if (v != null) {
            return v;
        }
        pending.add(new PendingVariable(name, d));
        return ctx -> ctx.named(name);
    }
}
