package corral.proxy.rules;

import corral.proxy.accesslog.ResponseVariables;
import corral.proxy.rules.LocationBlock.HeaderRule;
import corral.proxy.rules.ScriptOp.Flag;
import corral.proxy.rules.TemplateParser.TemplateException;
import corral.proxy.rules.Variables.Variable;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.PatternSyntaxException;

/**
 * Compiles the directives that hold regexes and variables: {@code rewrite}, {@code return},
 * {@code set}, the condition of {@code if}, {@code proxy_set_header}, and the regexes of
 * locations and server names. Knows every named group of every regex and every {@code map},
 * because nginx makes each one a variable that any directive may use, before or after it.
 */
final class ScriptCompiler {

    private final Problems problems;
    /** Every named group of every regex so far, and every {@code set} variable (lower-cased). */
    private final Set<String> namedGroups = new HashSet<>();
    /** The {@code set} variables: one never set in a request is "" there, not "not found". */
    private final Set<String> setNames = new HashSet<>();
    /** Variables that may be named groups, checked once every regex is known. */
    private final List<PendingVariable> pending = new ArrayList<>();
    /** The {@code map}s by variable name; a later map of a name replaces an earlier, as in nginx. */
    private final Map<String, MapVariable> maps = new HashMap<>();
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
            if (!namedGroups.contains(v.name()) && !maps.containsKey(v.name())) {
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
        String name = ownVariable(d, d.arg(0), "\"set\" of the built-in variable \"$%s\" is"
                + " not supported by Corral: set a variable of your own name");
        if (name == null) {
            return;
        }
        namedGroups.add(name);
        setNames.add(name);
        Template value = template(d, d.arg(1), false);
        if (value != null) {
            script.add(new ScriptOp.Set(name, value));
        }
    }

    /**
     * The lower-cased name of the variable {@code target} ("$name") that {@code set} or
     * {@code map} defines; null (and a problem, {@code builtinMessage} with the name for "%s")
     * when it is no name or a built-in variable's.
     */
    String ownVariable(Directive d, String target, String builtinMessage) {
        if (target.length() < 2 || target.charAt(0) != '$') {
            problems.add(d, "invalid variable name \"" + target + "\"");
            return null;
        }
        String name = HostHeader.lowerAscii(target.substring(1));
        if (Variables.builtin(name) != null || ResponseVariables.knows(name)) {
            problems.add(d, String.format(builtinMessage, name));
            return null;
        }
        return name;
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

    /** Records a {@code map}: its variable exists from now on, for every directive. */
    void addMap(MapVariable map) {
        maps.put(map.name(), map);
    }

    /**
     * The condition of {@code if}, as nginx reads its arguments: "(" glued to the first or
     * alone, ")" glued to the last or alone; null (and a problem) when it is not one Corral
     * can evaluate.
     */
    IfCondition condition(Directive d) {
        List<String> args = new ArrayList<>(d.args());
        if (args.isEmpty() || !args.get(0).startsWith("(")) {
            problems.add(d, "invalid condition \"" + (args.isEmpty() ? "" : args.get(0))
                    + "\" (expected \"(\")");
            return null;
        }
        if (args.get(0).equals("(")) {
            args.remove(0);
        } else {
            args.set(0, args.get(0).substring(1));
        }
        int last = args.size() - 1;
        if (last < 0 || !args.get(last).endsWith(")")) {
            problems.add(d, "invalid condition \"" + (last < 0 ? "(" : args.get(last))
                    + "\" (expected \")\")");
            return null;
        }
        if (args.get(last).equals(")")) {
            args.remove(last);
        } else {
            args.set(last, args.get(last).substring(0, args.get(last).length() - 1));
        }
        String first = args.isEmpty() ? "" : args.get(0);
        if (first.matches("!?-[fdex]")) {
            return FileTest.condition(d, args, problems, this);
        }
        if (first.length() < 2 || first.charAt(0) != '$' || (args.size() != 1 && args.size() != 3)) {
            problems.add(d, "invalid condition \"" + first + "\" (expected ($var), ($var = value),"
                    + " ($var != value), or ($var ~ regex) with ~, ~*, !~ or !~*)");
            return null;
        }
        Variables.Variable subject = subject(d, first.substring(1));
        if (subject == null) {
            return null;
        }
        if (args.size() == 1) {
            return new IfCondition(subject, IfCondition.Op.TRUTHY, null, null);
        }
        String op = args.get(1);
        String operand = args.get(2);
        return switch (op) {
            case "=", "!=" -> {
                Template value = template(d, operand, false);
                yield value == null ? null : new IfCondition(subject, op.equals("=")
                        ? IfCondition.Op.EQUAL : IfCondition.Op.NOT_EQUAL, value, null);
            }
            case "~", "~*", "!~", "!~*" -> {
                NginxRegex regex = regex(d, operand, op.endsWith("*"));
                yield regex == null ? null : new IfCondition(subject, op.startsWith("!")
                        ? IfCondition.Op.NOT_MATCH : IfCondition.Op.MATCH, null, regex);
            }
            default -> {
                problems.add(d, "unexpected \"" + op + "\" in condition (expected =, !=, ~, ~*,"
                        + " !~ or !~*)");
                yield null;
            }
        };
    }

    /** The variable an {@code if} tests: nginx takes all after "$" as its name ("$1" too). */
    private Variables.Variable subject(Directive d, String name) {
        if (!name.chars().allMatch(c -> c == '_' || Character.isLetterOrDigit(c) && c < 128)
                || Character.isDigit(name.charAt(0))) {
            problems.add(d, "unknown \"" + name + "\" variable");
            return null;
        }
        return resolve(HostHeader.lowerAscii(name), d, false);
    }

    /** A value with variables of {@code d} (a {@code limit_req_zone} key); null when invalid. */
    Template value(Directive d, String source) {
        return template(d, source, false);
    }

    Template template(Directive d, String source, boolean splitArgs) {
        return template(d, source, splitArgs, false);
    }

    /**
     * A map's source or value: besides what any directive reads, the variables of the answer
     * ({@code $status}, ...), since a map is computed when first read, and an access log reads
     * it once the answer is sent.
     */
    Template mapTemplate(Directive d, String source) {
        return template(d, source, false, true);
    }

    private Template template(Directive d, String source, boolean splitArgs, boolean inMap) {
        try {
            return TemplateParser.parse(source, splitArgs, name -> resolve(name, d, inMap));
        } catch (TemplateException e) {
            problems.add(d, e.getMessage());
            return null;
        }
    }

    /**
     * A variable of a {@code log_format} or {@code access_log if=} that is no built-in: a map
     * (computed now if the request has not read it yet, with the answer's variables), a
     * {@code set} variable as the rewrites left it ("" when none set it, as nginx's
     * uninitialised variable), or a named capture (null, nginx's "not found", when no regex
     * set it). Checked once every file is read, as nginx resolves a log's variables.
     */
    Variable logVariable(String name, Directive d) {
        pending.add(new PendingVariable(name, d));
        return ctx -> {
            MapVariable map = maps.get(name);
            if (map != null) {
                return map.value(ctx);
            }
            if (ctx.hasVariable(name)) {
                return ctx.named(name);
            }
            return setNames.contains(name) ? "" : null;
        };
    }

    /**
     * A built-in variable, or else (checked at the end) a map, a {@code set} variable or a
     * named group of some regex. Maps may come later in the files, so they are looked up when
     * the request runs.
     */
    private Variable resolve(String name, Directive d, boolean inMap) {
        Variable v = Variables.builtin(name);
        if (v != null) {
            return v;
        }
        if (ResponseVariables.knows(name)) {
            if (!inMap) {
                problems.add(d, "\"$" + name + "\" is known once the answer is sent: Corral reads it"
                        + " in log_format, in access_log if= and in a map they read, not here");
            }
            return ctx -> ctx.answer(name);
        }
        pending.add(new PendingVariable(name, d));
        return ctx -> {
            MapVariable map = maps.get(name);
            return map != null ? map.value(ctx) : ctx.named(name);
        };
    }
}
