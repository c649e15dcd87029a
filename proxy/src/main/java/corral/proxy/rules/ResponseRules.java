package corral.proxy.rules;

import java.util.ArrayList;
import java.util.List;

/**
 * The directives of a level that change the answer's head: {@code proxy_redirect},
 * {@code add_header} and {@code expires}, merged as nginx 1.22 merges them (each field null
 * when the level leaves it to its parent). A level with any {@code add_header} replaces all of
 * its parent's; {@code proxy_redirect} likewise, and {@code proxy_redirect off} turns the
 * parent's off (ngx_http_proxy_merge_loc_conf, ngx_http_headers_merge_conf).
 *
 * @param redirectOn  {@code proxy_redirect off} (false), any other (true), or unset (null)
 * @param redirects   the {@code proxy_redirect} rules of the nearest level that has some
 * @param headers     the {@code add_header}s of the nearest level that has some
 * @param expires     the {@code expires} of the nearest level that has one
 */
record ResponseRules(Boolean redirectOn, List<RedirectRule> redirects, List<AddHeader> headers,
                     Expires expires) {

    static final ResponseRules UNSET = new ResponseRules(null, null, null, null);

    /** nginx's statuses for add_header without {@code always} and for expires. */
    static boolean safeStatus(int status) {
        return switch (status) {
            case 200, 201, 204, 206, 301, 302, 303, 304, 307, 308 -> true;
            default -> false;
        };
    }

    /** These rules, each replaced by {@code inner}'s where it sets it. */
    ResponseRules under(ResponseRules inner) {
        return new ResponseRules(inner.redirectOn != null ? inner.redirectOn : redirectOn,
                inner.redirects != null ? inner.redirects : redirects,
                inner.headers != null ? inner.headers : headers,
                inner.expires != null ? inner.expires : expires);
    }

    /**
     * The rules of a location once merged, with nginx's {@code proxy_redirect default} put in:
     * where the location proxies and no level wrote a rule nor {@code off}, and where its own
     * {@code proxy_redirect default} stands. {@code proxyUrl} is its proxy_pass as written
     * (null without one), {@code uri} that URL's URI part, {@code location} its name.
     */
    ResponseRules forLocation(String proxyUrl, String uri, String location) {
        if (Boolean.FALSE.equals(redirectOn)) {
            return new ResponseRules(false, List.of(), headers, expires);
        }
        if (redirects == null) {
            List<RedirectRule> rules = proxyUrl == null ? List.of()
                    : List.of(defaultRule(proxyUrl, uri, location));
            return new ResponseRules(true, rules, headers, expires);
        }
        List<RedirectRule> rules = new ArrayList<>();
        for (RedirectRule rule : redirects) {
            rules.add(rule instanceof RedirectRule.Default ? defaultRule(proxyUrl, uri, location)
                    : rule);
        }
        return new ResponseRules(true, List.copyOf(rules), headers, expires);
    }

    /**
     * {@code proxy_redirect default}: the proxy_pass URL (with a "/" added when it has no URI)
     * becomes the location's name (or "/").
     */
    private static RedirectRule defaultRule(String proxyUrl, String uri, String location) {
        return uri.isEmpty() ? new RedirectRule.Prefix(literal(proxyUrl + "/"), literal("/"))
                : new RedirectRule.Prefix(literal(proxyUrl), literal(location));
    }

    private static Template literal(String text) {
        return new Template(text, List.of(new Template.Literal(text)), false);
    }

    /** One {@code proxy_redirect}; the first that matches a Location or Refresh URL rewrites it. */
    sealed interface RedirectRule {

        /** {@code proxy_redirect from to}: a URL that starts with {@code from} gets {@code to} instead. */
        record Prefix(Template from, Template to) implements RedirectRule {
        }

        /** {@code proxy_redirect ~regex to}: a URL the regex matches is replaced as a whole. */
        record Regex(NginxRegex regex, Template to) implements RedirectRule {
        }

        /** {@code proxy_redirect default} as written, resolved by {@link #forLocation}. */
        record Default() implements RedirectRule {
        }
    }

    /**
     * {@code add_header name value [always]}; {@code value} null when written "". ETag and
     * Last-Modified replace the answer's own (nginx's ngx_http_set_response_header), the others
     * are added.
     */
    record AddHeader(String name, Template value, boolean always) {

        boolean replaces() {
            return name.equalsIgnoreCase("ETag") || name.equalsIgnoreCase("Last-Modified");
        }
    }

    /**
     * {@code expires [modified] time | @time | epoch | max | off}.
     *
     * @param seconds the time, negative for "-1h"; for DAILY ({@code @15h30m}) the time of
     *                day; unused for EPOCH, MAX and OFF
     */
    record Expires(Kind kind, long seconds) {

        static final Expires OFF = new Expires(Kind.OFF, 0);

        enum Kind { ACCESS, MODIFIED, DAILY, EPOCH, MAX, OFF }
    }
}
