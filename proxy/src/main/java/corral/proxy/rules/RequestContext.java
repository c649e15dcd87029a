package corral.proxy.rules;

import java.util.HashMap;
import java.util.Map;

/**
 * The state of one request while the rules run: nginx's {@code ngx_http_request_t} as far as
 * the subset needs it. Created and used by one {@link RouteEngine#route} call, never shared.
 */
final class RequestContext {

    private static final String[] NO_CAPTURES = {};

    final RouteRequest request;
    /**
     * The request's host name (from an absolute-form target, else from the Host header),
     * checked and lower-cased; "" when the request has none.
     */
    final String hostName;
    final UriNormalizer.Target target;
    ServerBlock server;
    /** The location in use; null while at server level or when no location matched. */
    LocationBlock location;
    /** The decoded URI, changed by rewrites. */
    String uri;
    /** The raw query string (without "?"), changed by rewrites. */
    String args;
    /** Groups of the last regex that matched ($0..$9); emptied by a rewrite that did not. */
    private String[] captures = NO_CAPTURES;
    /** Named groups of every regex that matched so far, by lower-cased name. */
    private final Map<String, String> named = new HashMap<>();
    /** A rewrite changed the URI: nginx re-encodes it when proxying. */
    boolean internal;
    /** Nothing changed the URI or args: the request target can go upstream unchanged. */
    boolean validUnparsedUri;
    /** No {@code rewrite ... break} ran: a proxy_pass URI replaces the location's prefix. */
    boolean validLocation = true;
    /** A rewrite changed the URI in this pass: the location is searched again. */
    boolean uriChanged;
    /** {@code $request_id} once made. */
    private String requestId;

    RequestContext(RouteRequest request, String hostName, UriNormalizer.Target target) {
        this.request = request;
        this.hostName = hostName;
        this.target = target;
        this.uri = target.uri();
        this.args = target.args();
        this.validUnparsedUri = target.validUnparsed();
    }

    /** Records a regex match, as {@code ngx_http_regex_exec} does. */
    void matched(NginxRegex regex, String[] groups) {
        captures = groups;
        regex.names().forEach((name, group) -> named.put(name, groups[group]));
    }

    /** A rewrite regex did not match: nginx forgets the captures (not the named ones). */
    void forgetCaptures() {
        captures = NO_CAPTURES;
    }

    String capture(int n) {
        return n < captures.length ? captures[n] : "";
    }

    /** {@code $request_id}: 32 random hex digits, made once per request as nginx's. */
    String requestId() {
        if (requestId == null) {
            byte[] bytes = new byte[16];
            java.util.concurrent.ThreadLocalRandom.current().nextBytes(bytes);
            requestId = java.util.HexFormat.of().formatHex(bytes);
        }
        return requestId;
    }

    /** {@code set}: nginx keeps set variables and named captures in one indexed store. */
    void setVariable(String name, String value) {
        named.put(name, value);
    }

    String named(String name) {
        return named.getOrDefault(name, "");
    }
}
