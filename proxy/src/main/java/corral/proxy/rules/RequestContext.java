package corral.proxy.rules;

import corral.proxy.accesslog.LogValues;
import corral.proxy.accesslog.ResponseVariables;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

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
    /**
     * The {@code proxy_pass} of the last true {@code if} of the location, which nginx makes
     * the location's configuration; null when none did (or it had none): the location's own.
     */
    LocationBlock.ProxyTarget ifProxy;
    /** The decoded URI, changed by rewrites. */
    String uri;
    /** The raw query string (without "?"), changed by rewrites. */
    String args;
    /** Groups of the last regex that matched ($0..$9); emptied by a rewrite that did not. */
    private String[] captures = NO_CAPTURES;
    /**
     * Named groups of every regex that matched so far, by lower-cased name; null until one is
     * stored (most requests have none: no map made for them, issue 12).
     */
    private Map<String, String> named;
    /** A rewrite changed the URI: nginx re-encodes it when proxying. */
    boolean internal;
    /** Nothing changed the URI or args: the request target can go upstream unchanged. */
    boolean validUnparsedUri;
    /** No {@code rewrite ... break} ran: a proxy_pass URI replaces the location's prefix. */
    boolean validLocation = true;
    /** A rewrite changed the URI in this pass: the location is searched again. */
    boolean uriChanged;
    /** What a level that sets no root or types gets (RouteEngine's). */
    FileSettings fileDefaults = FileSettings.UNSET;
    /** try_files found a file for a regex location's alias: the alias gets the URI added (nginx's add_uri_to_alias). */
    boolean addUriToAlias;
    /**
     * nginx's {@code r->uri_changes}: what is left of the URI changes (location searches after a
     * rewrite, internal redirects) the request may still make; at 0 it is a 500.
     */
    int uriChanges = RouteEngine.MAX_URI_CHANGES + 1;
    /** The method ({@code $request_method}): an error page's redirect makes it GET unless HEAD. */
    String method;
    /**
     * nginx's {@code r->err_status}: the status an error page's answer is sent with (the error's,
     * or the page's {@code =CODE}); 0 when the answer keeps its own.
     */
    int errStatus;
    /** nginx's {@code r->error_page}: an error page ran, and recursive_error_pages is off. */
    boolean errorPage;
    /**
     * The request has no arguments at all, not even an empty "?" (nginx's {@code r->args} has no
     * data): {@code $args} is "not found" ("-" in a log line) rather than "".
     */
    boolean noArgs;
    /**
     * The Location of a redirect that an error page took: nginx keeps it in the answer's headers
     * through the internal redirect; null when none.
     */
    String keptLocation;
    /**
     * A 413's error page runs: nginx discarded the body (and checks no client_max_body_size
     * again), and would proxy the page's request without it.
     */
    boolean bodyDiscarded;
    /** {@code $request_id} once made. */
    private String requestId;
    /** The maps being computed, against a map that depends on itself. */
    private Set<String> evaluating;
    /** The sent answer's variables, once the access log reads the request; null before. */
    LogValues answer;

    RequestContext(RouteRequest request, String hostName, UriNormalizer.Target target) {
        this.request = request;
        this.hostName = hostName;
        this.target = target;
        this.uri = target.uri();
        this.args = target.args();
        this.validUnparsedUri = target.validUnparsed();
        this.method = request.method();
        this.noArgs = target.unparsed().indexOf('?') < 0;
    }

    /** Records a regex match, as {@code ngx_http_regex_exec} does. */
    void matched(NginxRegex regex, String[] groups) {
        captures = groups;
        regex.names().forEach((name, group) -> named().put(name, groups[group]));
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
        named().put(name, value);
    }

    String named(String name) {
        return named == null ? "" : named.getOrDefault(name, "");
    }

    /** The variable has a value in this request: set, captured, or a map already computed. */
    boolean hasVariable(String name) {
        return named != null && named.containsKey(name);
    }

    private Map<String, String> named() {
        if (named == null) {
            named = new HashMap<>();
        }
        return named;
    }

    /** False when the map {@code name} is already being computed (it depends on itself). */
    boolean startEvaluating(String name) {
        if (evaluating == null) {
            evaluating = new HashSet<>();
        }
        return evaluating.add(name);
    }

    void stopEvaluating(String name) {
        evaluating.remove(name);
    }

    /** A variable of the answer ({@code $status}...), as nginx reads it now: before the answer, or once sent. */
    String answer(String name) {
        if (answer == null) {
            return ResponseVariables.beforeAnswer(name);
        }
        String value = answer.value(name);
        return value == null ? "" : value;
    }

    /** The {@code proxy_pass} in effect: the last true {@code if}'s, else the location's. */
    LocationBlock.ProxyTarget proxyTarget() {
        if (ifProxy != null) {
            return ifProxy;
        }
        return location == null ? null : location.proxy();
    }
}
