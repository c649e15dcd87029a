package corral.proxy.rules;

import corral.proxy.rules.Variables.Variable;

import java.util.List;
import java.util.Map;

/**
 * The variable of one {@code map $source $name { ... }}, as nginx 1.22's map module computes
 * it: lazily, the first time a request uses it, and then kept for the rest of the request
 * (across rewrites and location changes) unless the map is {@code volatile}. A {@code set}
 * of the variable wins over the map.
 *
 * <p>The source's value is looked up: among the exact keys without case (nginx's hash lowers
 * both); with {@code hostnames}, a final "." dropped, then among {@code *.x} / {@code .x}
 * wildcards (longest suffix) and {@code x.*} wildcards (longest prefix); then the regexes in
 * file order, which set $1.. and named captures for the value, and which nginx tries only on a
 * non-empty value; else the default ("" when there is none). The value found may hold
 * variables; it is computed after the match.
 */
final class MapVariable implements Variable {

    /** A {@code ~regex value} or {@code ~*regex value} line. */
    record RegexKey(NginxRegex regex, Template value) {
    }

    private final String name;
    private final Template source;
    private final boolean hostnames;
    private final boolean isVolatile;
    private final Map<String, Template> exact;
    /** {@code *.example.com} and {@code .example.com} under ".example.com". */
    private final Map<String, Template> headWildcards;
    /** {@code www.example.*} under "www.example.". */
    private final Map<String, Template> tailWildcards;
    private final List<RegexKey> regexes;
    private final Template defaultValue;

    MapVariable(String name, Template source, boolean hostnames, boolean isVolatile,
                Map<String, Template> exact, Map<String, Template> headWildcards,
                Map<String, Template> tailWildcards, List<RegexKey> regexes,
                Template defaultValue) {
        this.name = name;
        this.source = source;
        this.hostnames = hostnames;
        this.isVolatile = isVolatile;
        this.exact = Map.copyOf(exact);
        this.headWildcards = Map.copyOf(headWildcards);
        this.tailWildcards = Map.copyOf(tailWildcards);
        this.regexes = List.copyOf(regexes);
        this.defaultValue = defaultValue;
    }

    String name() {
        return name;
    }

    @Override
    public String value(RequestContext ctx) {
        if (ctx.hasVariable(name)) {
            return ctx.named(name);
        }
        if (!ctx.startEvaluating(name)) {
            return ""; // a map that depends on itself: nginx has no value either
        }
        try {
            Template found = find(source.render(ctx), ctx);
            String value = found == null ? "" : found.render(ctx);
            if (!isVolatile) {
                ctx.setVariable(name, value);
            }
            return value;
        } finally {
            ctx.stopEvaluating(name);
        }
    }

    private Template find(String value, RequestContext ctx) {
        if (hostnames && value.endsWith(".")) {
            value = value.substring(0, value.length() - 1);
        }
        String lower = HostHeader.lowerAscii(value);
        Template t = exact.get(lower);
        if (t == null && hostnames) {
            t = headWildcard(lower);
            if (t == null) {
                t = tailWildcard(lower);
            }
        }
        if (t != null) {
            return t;
        }
        if (!value.isEmpty()) {
            for (RegexKey r : regexes) {
                String[] groups = r.regex().exec(value);
                if (groups != null) {
                    ctx.matched(r.regex(), groups);
                    return r.value();
                }
            }
        }
        return defaultValue;
    }

    /** Longest suffix first: each "." of the value starts a candidate ".rest". */
    private Template headWildcard(String value) {
        for (int i = value.indexOf('.'); i >= 0; i = value.indexOf('.', i + 1)) {
            Template t = headWildcards.get(value.substring(i));
            if (t != null) {
                return t;
            }
        }
        return null;
    }

    /** Longest prefix first: each "." of the value ends a candidate "head.". */
    private Template tailWildcard(String value) {
        for (int i = value.lastIndexOf('.'); i > 0; i = value.lastIndexOf('.', i - 1)) {
            Template t = tailWildcards.get(value.substring(0, i + 1));
            if (t != null && i + 1 < value.length()) {
                return t;
            }
        }
        return null;
    }
}
