package corral.proxy.rules;

import corral.proxy.rules.ResponseRules.AddHeader;
import corral.proxy.rules.ResponseRules.Expires;
import corral.proxy.rules.ResponseRules.RedirectRule;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code proxy_redirect}, {@code add_header} and {@code expires} at http, server and location
 * level, checked as nginx 1.22 checks them (its messages where it has one). What Corral does
 * not do is refused here, with file:line: {@code expires} with variables.
 */
final class ResponseDirectives {

    /** A level's own directives while it is compiled. */
    static final class Draft {
        private Boolean redirectOn;
        private List<RedirectRule> redirects;
        private List<AddHeader> headers;
        private Expires expires;
        /** A {@code proxy_pass} came before, in this location: {@code proxy_redirect default} may follow. */
        boolean afterProxyPass;

        ResponseRules build() {
            return new ResponseRules(redirectOn, redirects == null ? null : List.copyOf(redirects),
                    headers == null ? null : List.copyOf(headers), expires);
        }
    }

    private final Problems problems;
    private final ScriptCompiler scripts;

    ResponseDirectives(Problems problems, ScriptCompiler scripts) {
        this.problems = problems;
        this.scripts = scripts;
    }

    /** Compiles {@code d} into {@code draft} when it is one of these; false when it is none. */
    boolean compile(Directive d, Draft draft) {
        switch (d.name()) {
            case "proxy_redirect" -> {
                if (problems.expectNoBlock(d) && problems.expectArgs(d, 1, 2)) {
                    redirect(d, draft);
                }
            }
            case "add_header" -> {
                if (problems.expectNoBlock(d) && problems.expectArgs(d, 2, 3)) {
                    addHeader(d, draft);
                }
            }
            case "expires" -> {
                if (problems.expectNoBlock(d) && problems.expectArgs(d, 1, 2)) {
                    expires(d, draft);
                }
            }
            default -> {
                return false;
            }
        }
        return true;
    }

    /** ngx_http_proxy_redirect. */
    private void redirect(Directive d, Draft draft) {
        if (Boolean.FALSE.equals(draft.redirectOn)) {
            problems.add(d, "\"proxy_redirect\" directive is duplicate (after \"proxy_redirect off\")");
            return;
        }
        if (d.args().size() == 1) {
            String value = d.arg(0);
            if (value.equals("off")) {
                if (draft.redirects != null) {
                    problems.add(d, "\"proxy_redirect\" directive is duplicate (\"off\" after a rule)");
                } else {
                    draft.redirectOn = false;
                }
                return;
            }
            if (!value.equals("default")) {
                problems.add(d, "invalid parameter \"" + value + "\" (proxy_redirect takes default,"
                        + " off, or a URL and its replacement)");
                return;
            }
            if (!draft.afterProxyPass) {
                problems.add(d, "\"proxy_redirect default\" should be placed after the"
                        + " \"proxy_pass\" directive");
                return;
            }
            add(draft, new RedirectRule.Default());
            return;
        }
        Template to = scripts.template(d, d.arg(1), false);
        String from = d.arg(0);
        RedirectRule rule = null;
        if (from.startsWith("~")) {
            boolean caseless = from.startsWith("~*");
            NginxRegex regex = scripts.regex(d, from.substring(caseless ? 2 : 1), caseless);
            if (regex != null && to != null) {
                rule = new RedirectRule.Regex(regex, to);
            }
        } else {
            Template pattern = scripts.template(d, from, false);
            if (pattern != null && to != null) {
                rule = new RedirectRule.Prefix(pattern, to);
            }
        }
        if (rule != null) {
            add(draft, rule);
        }
    }

    private static void add(Draft draft, RedirectRule rule) {
        draft.redirectOn = true;
        if (draft.redirects == null) {
            draft.redirects = new ArrayList<>();
        }
        draft.redirects.add(rule);
    }

    /** ngx_http_headers_add. */
    private void addHeader(Directive d, Draft draft) {
        boolean always = d.args().size() == 3;
        if (always && !d.arg(2).equals("always")) {
            problems.add(d, "invalid parameter \"" + d.arg(2) + "\" (add_header NAME VALUE [always])");
            return;
        }
        String name = d.arg(0);
        if (name.isEmpty() || !name.chars().allMatch(ResponseDirectives::isTokenChar)) {
            problems.add(d, "invalid header name \"" + name + "\"");
            return;
        }
        Template value = null;
        if (!d.arg(1).isEmpty()) {
            value = scripts.template(d, d.arg(1), false);
            if (value == null) {
                return;
            }
        }
        if (draft.headers == null) {
            draft.headers = new ArrayList<>();
        }
        draft.headers.add(new AddHeader(name, value, always));
    }

    private static boolean isTokenChar(int c) {
        return c > 32 && c < 127 && "()<>@,;:\\\"/[]?={}".indexOf(c) < 0;
    }

    /** ngx_http_headers_expires and ngx_http_parse_expires. */
    private void expires(Directive d, Draft draft) {
        if (draft.expires != null) {
            problems.add(d, "\"expires\" directive is duplicate");
            return;
        }
        boolean modified = d.args().size() == 2;
        if (modified && !d.arg(0).equals("modified")) {
            problems.add(d, "invalid value \"" + d.arg(0) + "\" (expires [modified] time)");
            return;
        }
        String value = d.arg(modified ? 1 : 0);
        if (value.contains("$")) {
            problems.add(d, "\"expires\" with variables is not supported by Corral (write a fixed"
                    + " time, epoch, max or off)");
            return;
        }
        if (!modified) {
            Expires fixed = switch (value) {
                case "epoch" -> new Expires(Expires.Kind.EPOCH, 0);
                case "max" -> new Expires(Expires.Kind.MAX, 0);
                case "off" -> Expires.OFF;
                default -> null;
            };
            if (fixed != null) {
                draft.expires = fixed;
                return;
            }
        }
        boolean daily = value.startsWith("@");
        if (daily && modified) {
            problems.add(d, "daily time cannot be used with \"modified\" parameter");
            return;
        }
        boolean minus = value.startsWith("-");
        String time = minus || daily || value.startsWith("+") ? value.substring(1) : value;
        Duration t = time.contains("ms") ? null : NginxUnits.time(time);
        if (t == null) {
            problems.add(d, "invalid value \"" + value + "\" (a time: 1h, 30d, -1, @15h30m, epoch,"
                    + " max, off)");
            return;
        }
        if (daily && t.getSeconds() > 24 * 60 * 60) {
            problems.add(d, "daily time value must be less than 24 hours");
            return;
        }
        long seconds = minus ? -t.getSeconds() : t.getSeconds();
        Expires.Kind kind = daily ? Expires.Kind.DAILY
                : modified ? Expires.Kind.MODIFIED : Expires.Kind.ACCESS;
        draft.expires = new Expires(kind, seconds);
    }
}
