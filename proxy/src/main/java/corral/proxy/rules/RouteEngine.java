package corral.proxy.rules;

import corral.proxy.accesslog.AccessLogTarget;
import corral.proxy.rules.LocationBlock.HeaderRule;
import corral.proxy.rules.LocationBlock.ProxyTarget;
import corral.proxy.rules.RouteDecision.HeaderSet;
import corral.proxy.rules.RouteDecision.Proxy;
import corral.proxy.rules.RouteDecision.Redirect;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Runs nginx's request phases that the subset touches, in nginx's order: parse the target and
 * the Host (400s), pick the server, run its rewrites once, then find a location, run its
 * rewrites, and search again while they change the URI (at most 10 times, then 500), and at
 * last proxy or answer as nginx's content phase would.
 */
final class RouteEngine implements Router {

    /** nginx's {@code NGX_HTTP_MAX_URI_CHANGES}: the 11th change of the URI is a 500. */
    static final int MAX_URI_CHANGES = 10;

    private final Map<Integer, ServerSelector> ports;
    /** {@link #ports} as two arrays: a request's port is looked up without boxing it (issue 12). */
    private final int[] portNumbers;
    private final ServerSelector[] selectors;
    private final boolean logsOrCounts;
    /** The maps, set variables and named captures the access logs read. */
    private final Map<String, Variables.Variable> logVariables;
    /** Where no level sets root or types: nginx's html root under the prefix, and the types. */
    private final FileSettings fileDefaults;

    RouteEngine(Map<Integer, ServerSelector> ports, Map<String, Variables.Variable> logVariables) {
        this(ports, logVariables, FileSettings.UNSET);
    }

    RouteEngine(Map<Integer, ServerSelector> ports, Map<String, Variables.Variable> logVariables,
                FileSettings fileDefaults) {
        this.fileDefaults = fileDefaults;
        this.ports = Map.copyOf(ports);
        this.portNumbers = this.ports.keySet().stream().mapToInt(Integer::intValue).toArray();
        this.selectors = Arrays.stream(portNumbers).mapToObj(this.ports::get).toArray(ServerSelector[]::new);
        this.logVariables = Map.copyOf(logVariables);
        this.logsOrCounts = ports.values().stream().flatMap(s -> s.servers().stream()).anyMatch(RouteEngine::logsOrCounts);
    }

    @Override
    public RouteDecision route(RouteRequest request) {
        return routed(request).decision();
    }

    @Override
    public boolean logsOrCounts() {
        return logsOrCounts;
    }

    List<AccessLogTarget> accessLogTargets() {
        List<AccessLogTarget> all = new ArrayList<>();
        for (ServerSelector selector : ports.values()) {
            for (ServerBlock server : selector.servers()) {
                addAll(all, server.settings().accessLogs());
                server.matcher().locations().forEach(l -> addAll(all, l.settings().accessLogs()));
            }
        }
        return all;
    }

    private static void addAll(List<AccessLogTarget> into, List<AccessLogTarget> targets) {
        if (targets != null) {
            into.addAll(targets);
        }
    }

    private static boolean logsOrCounts(ServerBlock server) {
        return server.settings().accessLogs() != null || server.settings().stubStatus() || server.matcher().locations().stream()
                .anyMatch(l -> l.settings().accessLogs() != null || l.settings().stubStatus());
    }

    @Override
    public Routed routed(RouteRequest request) {
        ServerSelector selector = selector(request.listenPort());
        if (selector == null) {
            return early(request, null, ErrorPages.of(404));
        }
        UriNormalizer.Target target = UriNormalizer.parse(request.rawUri());
        if (target == null) {
            return early(request, selector, ErrorPages.of(400));
        }
        boolean badMethod = !validMethod(request.method());
        String hostName = badMethod ? null : hostName(request, target);
        if (hostName == null || request.method().equals("TRACE") || request.method().equals("CONNECT")) {
            // nginx has the URI by now (not after a bad method): its log line shows it, $host is the
            // default server's name, and the default server's error_page takes the error
            RequestContext ctx = new RequestContext(request, hostName == null ? "" : hostName, target);
            ctx.server = selector.defaultServer();
            RouteDecision error = ErrorPages.of(hostName == null ? 400 : 405);
            RouteDecision decision = errorPages(ctx, error);
            ProxySettings where = ctx.location != null ? ctx.location.settings() : ctx.server.settings();
            return new Routed(withResponse(decision, ctx), log(request,
                    badMethod && decision == error ? null : ctx, where.accessLogs()));
        }
        RequestContext ctx = new RequestContext(request, hostName, target);
        ctx.fileDefaults = fileDefaults;
        ctx.server = selector.select(hostName, ctx);
        RouteDecision decision = withResponse(errorPages(ctx, fromServerRewrites(ctx)), ctx);
        ProxySettings where = ctx.location != null ? ctx.location.settings() : ctx.server.settings();
        boolean pagesLater = decision instanceof Proxy && (errorPageRules(ctx).any() || ctx.errorPage);
        return new Routed(decision, log(request, ctx, where.accessLogs()),
                pagesLater ? new LaterErrors(ctx) : null);
    }

    /** {@link ErrorRedirect} on the request's context, where the rules left it. */
    private record LaterErrors(RequestContext ctx) implements ErrorRedirect {

        @Override
        public boolean intercepts(int status) {
            ErrorPageRules rules = errorPageRules(ctx);
            return status >= 300 && rules.interceptOn() && rules.find(status) != null;
        }

        @Override
        public RouteDecision errorPage(int status, boolean fromInstance) {
            RouteDecision error = ErrorPages.of(status);
            RouteDecision page = errorPages(ctx, error);
            return page == error && !fromInstance ? null : withResponse(page, ctx);
        }
    }

    /** The request's log, or null (nothing allocated) when no rule logs or counts requests. */
    private RequestLog log(RouteRequest request, RequestContext ctx, List<AccessLogTarget> targets) {
        return logsOrCounts ? new RequestLog(request, ctx, targets, logVariables, true) : null;
    }

    /**
     * The decision with the {@code proxy_redirect}, {@code add_header} and {@code expires} of
     * the level it was made at: the location's, else the server's (a server-level rewrite or
     * return, or no location), as nginx's filters read r->loc_conf.
     */
    private static RouteDecision withResponse(RouteDecision decision, RequestContext ctx) {
        ResponseRules rules = ctx.location != null ? ctx.location.response()
                : ctx.server.settings().response();
        if (decision instanceof Proxy p) {
            ResponseEdits edits = ResponseEdits.of(ctx, rules, true, ctx.errStatus, ctx.keptLocation);
            String method = ctx.method.equals(ctx.request.method()) ? null : ctx.method;
            if (edits == p.response() && method == null && p.method() == null) {
                return p; // the same decision: not copied (issue 12)
            }
            return new Proxy(p.app(), p.uri(), p.headers(), p.proxyHost(), p.settings(), edits, p.limits(),
                    p.group(), method);
        }
        ResponseEdits edits = ResponseEdits.of(ctx, rules, false, 0,
                decision instanceof Redirect ? null : ctx.keptLocation);
        if (edits == ResponseEdits.NONE) {
            return decision;
        }
        if (decision instanceof Redirect r) {
            return new Redirect(r.status(), r.location(), edits);
        }
        if (decision instanceof RouteDecision.Respond r) {
            return new RouteDecision.Respond(r.status(), r.body(), r.contentType(), edits);
        }
        if (decision instanceof RouteDecision.File f) {
            return new RouteDecision.File(f.file(), f.gzip(), edits);
        }
        return decision;
    }

    /**
     * nginx's special response handler ({@code ngx_http_special_response_handler}): an answer
     * nginx makes itself (its error page, or a redirect of {@code return} or {@code rewrite}) that
     * an {@code error_page} of the level the request is at takes, becomes that page's answer; the
     * error's status (or the page's {@code =CODE}) replaces the page's own. Without
     * {@code recursive_error_pages}, once a level with error pages met an error, no later error is
     * taken (nginx's {@code r->error_page}); after the URI changes ran out, none is.
     */
    static RouteDecision errorPages(RequestContext ctx, RouteDecision decision) {
        RouteDecision answer = decision;
        while (true) {
            int status = special(answer);
            if (status < 0 && answer instanceof Proxy && ctx.bodyDiscarded) {
                // nginx sends the page's GET with "Content-Length: 0"; Corral cannot yet send a
                // request without the body it has not read, so it answers the 413 itself
                return ErrorPages.of(413);
            }
            if (status < 0) {
                return ctx.errStatus > 0 ? withStatus(answer, ctx.errStatus) : answer;
            }
            ctx.errStatus = status;
            ErrorPageRules rules = errorPageRules(ctx);
            if (ctx.errorPage || !rules.any() || ctx.uriChanges == 0) {
                return answer;
            }
            ctx.errorPage = !rules.recursiveOn();
            ErrorPageRules.Page page = rules.find(status);
            if (page == null) {
                return answer;
            }
            if (page.overwrite() >= 0) {
                ctx.errStatus = page.overwrite();
            }
            ctx.bodyDiscarded |= status == 413;
            if (answer instanceof Redirect r && !r.location().isEmpty()) {
                ctx.keptLocation = r.location(); // the headers of the answer so far stay
            }
            String target = page.target().render(ctx);
            if (target.startsWith("/")) {
                int q = target.indexOf('?');
                if (!ctx.method.equals("HEAD")) {
                    ctx.method = "GET";
                }
                answer = internalRedirect(ctx, q < 0 ? target : target.substring(0, q),
                        q < 0 ? null : target.substring(q + 1));
            } else if (target.startsWith("@")) {
                answer = namedLocation(ctx, target);
            } else {
                // any other target is sent as a redirect, as written (nginx's send_error_page)
                int code = page.overwrite();
                boolean redirect = code == 301 || code == 302 || code == 303 || code == 307 || code == 308;
                ctx.errStatus = 0;
                return new Redirect(redirect ? code : 302, target);
            }
        }
    }

    /** The error pages in effect where the request is: its location's, else its server's. */
    private static ErrorPageRules errorPageRules(RequestContext ctx) {
        return ctx.location != null ? ctx.location.errorPages() : ctx.server.errorPages();
    }

    /** The status of an answer of nginx's special response handler (redirects, its error pages); else -1. */
    private static int special(RouteDecision decision) {
        if (decision instanceof Redirect r) {
            return r.status();
        }
        if (decision instanceof RouteDecision.Respond r && ErrorPages.made(r)) {
            return r.status();
        }
        return -1;
    }

    /** A page's own answer sent with the error's status (a proxied one: by its edits, see {@link #withResponse}). */
    private static RouteDecision withStatus(RouteDecision answer, int status) {
        if (answer instanceof RouteDecision.Respond r) {
            return new RouteDecision.Respond(status, r.body(), r.contentType(), r.response());
        }
        return answer;
    }

    /** Refused before a server was picked: logged as nginx does, by the port's default server. */
    private Routed early(RouteRequest request, ServerSelector selector, RouteDecision decision) {
        if (selector == null || !logsOrCounts) {
            return new Routed(decision, log(request, null, null));
        }
        // no URI yet: the request's variables are not found, but its maps and set ones are read
        RequestContext bare = new RequestContext(request, "", UriNormalizer.Target.NONE);
        bare.server = selector.defaultServer();
        return new Routed(decision, new RequestLog(request, bare, bare.server.settings().accessLogs(), logVariables,
                false));
    }

    /** The apps of the server nginx would pick for the Host (an invalid or missing one: the default server). */
    @Override
    public Set<String> appsReached(int port, String host) {
        ServerBlock server = server(port, host);
        return server == null ? Set.of() : server.apps();
    }

    /** The server nginx picks on {@code port} for a Host header (null or invalid: the default); null when none listens. */
    ServerBlock server(int port, String host) {
        ServerSelector selector = selector(port);
        if (selector == null) {
            return null;
        }
        String name = host == null ? "" : HostHeader.validate(host);
        return selector.select(name == null ? "" : name, null);
    }

    /** The servers listening on {@code port}; null when none does. */
    private ServerSelector selector(int port) {
        for (int i = 0; i < portNumbers.length; i++) {
            if (portNumbers[i] == port) {
                return selectors[i];
            }
        }
        return null;
    }

    /** nginx takes upper-case letters, "_" and "-" as a method; anything else is a 400. */
    private static boolean validMethod(String method) {
        for (int i = 0; i < method.length(); i++) { // a loop: a stream's objects on every request (issue 12)
            char c = method.charAt(i);
            if (!((c >= 'A' && c <= 'Z') || c == '_' || c == '-')) {
                return false;
            }
        }
        return !method.isEmpty();
    }

    /**
     * The checked host name: the request line's, else the Host header's, else "". Null when
     * nginx answers 400: either is invalid, Host is repeated, or HTTP/1.1 comes without it.
     */
    private static String hostName(RouteRequest request, UriNormalizer.Target target) {
        int hosts = request.count("Host");
        String header = request.host() == null ? "" : HostHeader.validate(request.host());
        boolean needsHost = !request.protocol().equals("HTTP/1.0")
                && !request.protocol().equals("HTTP/0.9");
        if (hosts > 1 || header == null || (request.host() == null && needsHost)) {
            return null;
        }
        return target.host() == null ? header : HostHeader.validate(target.host());
    }

    /**
     * nginx's phases from the server rewrite phase on: the server's rewrites, then the location
     * search, the location's rewrites and the content phase.
     */
    private static RouteDecision fromServerRewrites(RequestContext ctx) {
        RouteDecision decision = Rewriter.run(ctx.server.script(), ctx);
        return decision != null ? decision : inLocation(ctx, null);
    }

    /**
     * nginx's {@code ngx_http_internal_redirect}, for {@code error_page URI} and
     * {@code try_files ... URI}: the request goes on as a request for {@code uri} ({@code $uri},
     * decoded) and {@code args} ({@code $args}, "" for none), from the server's rewrites on, as
     * nginx re-runs its phases from the server rewrite phase. The redirect counts as a URI change:
     * the one past {@link #MAX_URI_CHANGES} is a 500 ("rewrite or internal redirection cycle").
     * The URI is re-encoded if it is proxied; a {@code proxy_pass} URI part applies again.
     *
     * @param args the arguments without "?"; null when the target had no "?" at all
     *             ({@code $args} then is "not found", "-" in a log line, as in nginx)
     * @return the decision the request ends with
     */
    static RouteDecision internalRedirect(RequestContext ctx, String uri, String args) {
        if (--ctx.uriChanges == 0) {
            return ErrorPages.of(500);
        }
        ctx.uri = uri;
        ctx.args = args == null ? "" : args;
        ctx.noArgs = args == null;
        ctx.location = null;
        ctx.ifProxy = null;
        ctx.internal = true;
        ctx.validUnparsedUri = false;
        ctx.validLocation = true; // ngx_http_handler sets r->valid_location again
        return fromServerRewrites(ctx);
    }

    /**
     * nginx's {@code ngx_http_named_location}, for {@code error_page @name} and
     * {@code try_files ... @name}: the request goes on in the server's location {@code name}
     * (with its "@"), from that location's rewrites on ({@code $uri} and {@code $args} unchanged,
     * no location search, no {@code client_max_body_size} check). It counts as a URI change, as
     * an internal redirect does; an unknown name, or an empty URI, is a 500.
     *
     * @return the decision the request ends with
     */
    static RouteDecision namedLocation(RequestContext ctx, String name) {
        if (--ctx.uriChanges == 0 || ctx.uri.isEmpty()) {
            return ErrorPages.of(500);
        }
        LocationBlock named = ctx.server.matcher().named(name);
        if (named == null) {
            return ErrorPages.of(500); // nginx: "could not find named location"
        }
        ctx.internal = true;
        ctx.uriChanged = false;
        return inLocation(ctx, named);
    }

    /**
     * Finds the location (unless {@code named} is given: then that one is used as found), runs
     * its rewrites and searches again while they change the URI, then the content phase.
     */
    private static RouteDecision inLocation(RequestContext ctx, LocationBlock named) {
        LocationBlock given = named;
        while (true) {
            if (given == null) {
                ctx.uriChanged = false;
                LocationMatcher.Match match = ctx.server.matcher().find(ctx);
                ctx.location = match.location();
                ctx.ifProxy = null;
                if (ctx.location != null && ctx.location.internal() && !ctx.internal) {
                    return ErrorPages.of(404); // nginx's find-config phase: an internal location
                }
                if (bodyTooLarge(ctx)) {
                    return ErrorPages.of(413);
                }
                if (match.autoRedirect()) {
                    String location = ctx.location.escapedName()
                            + (ctx.args.isEmpty() ? "" : "?" + ctx.args);
                    return new Redirect(301, Rewriter.absolute(location, ctx));
                }
                if (ctx.location == null) {
                    return noHandler(ctx);
                }
            } else {
                ctx.location = given;
                ctx.ifProxy = null;
                given = null;
            }
            RouteDecision decision = Rewriter.run(ctx.location.script(), ctx);
            if (decision != null) {
                return decision;
            }
            if (!ctx.uriChanged) {
                return content(ctx);
            }
            if (--ctx.uriChanges == 0) {
                return ErrorPages.of(500); // nginx's post-rewrite phase: "rewrite or internal redirection cycle"
            }
        }
    }

    /**
     * nginx's find-config check, after each location search and before the location's rewrites
     * or its automatic redirect: a Content-Length over the {@code client_max_body_size} in
     * effect (the location's, else the server's) is a 413. Bodies without a length are limited
     * while they stream, by the forwarder.
     */
    private static boolean bodyTooLarge(RequestContext ctx) {
        ProxySettings settings = ctx.location != null ? ctx.location.settings()
                : ctx.server.settings();
        if (settings.maxBodySize() <= 0 || ctx.bodyDiscarded) {
            return false;
        }
        String length = ctx.request.first("Content-Length");
        if (length == null) {
            return false;
        }
        try {
            return settings.tooLarge(Long.parseLong(length));
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** The content phase: proxy_pass, or else nginx's try_files, index and static modules. */
    private static RouteDecision content(RequestContext ctx) {
        if (ctx.location.settings().stubStatus()) {
            return new RouteDecision.StubStatus();
        }
        ProxyTarget proxy = ctx.proxyTarget();
        if (proxy == null) {
            return StaticContent.answer(ctx, ctx.location.settings());
        }
        String uri = upstreamUri(proxy, ctx);
        if (uri.isEmpty()) {
            return ErrorPages.of(500);
        }
        List<HeaderRule> rules = ctx.location.headers();
        List<HeaderSet> headers = rules.isEmpty() ? List.of() : new ArrayList<>(rules.size());
        for (int i = 0; i < rules.size(); i++) {
            headers.add(new HeaderSet(rules.get(i).name(), rules.get(i).value().render(ctx)));
        }
        // nginx's preaccess phase: the keys are made after the rewrites, in the final location
        ProxySettings settings = ctx.location.settings();
        return new Proxy(proxy.app(), uri, headers, proxy.proxyHost(), settings, ResponseEdits.NONE,
                settings.limits().forRequest(ctx), proxy.group(), null);
    }

    /**
     * The request line nginx's proxy module sends: the request target as received when nothing
     * changed it and proxy_pass has no URI; else the (re-encoded) URI, its location prefix
     * replaced by the proxy_pass URI unless a {@code rewrite ... break} ran, plus the args.
     */
    private static String upstreamUri(ProxyTarget proxy, RequestContext ctx) {
        if (proxy.uri().isEmpty() && ctx.validUnparsedUri) {
            return ctx.target.unparsed();
        }
        int cut = ctx.validLocation && !proxy.uri().isEmpty() ? ctx.location.name().length() : 0;
        String rest = ctx.uri.substring(Math.min(cut, ctx.uri.length()));
        if (ctx.target.quotedUri() || ctx.internal) {
            rest = UriEscaper.escapePath(rest);
        }
        return (ctx.validLocation ? proxy.uri() : "") + rest
                + (ctx.args.isEmpty() ? "" : "?" + ctx.args);
    }

    /** No location: the server's stub_status, else its files. */
    private static RouteDecision noHandler(RequestContext ctx) {
        if (ctx.server.settings().stubStatus()) {
            return new RouteDecision.StubStatus(); // a server's stub_status answers what no location matches
        }
        return StaticContent.answer(ctx, ctx.server.settings());
    }
}
