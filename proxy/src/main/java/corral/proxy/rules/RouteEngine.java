package corral.proxy.rules;

import corral.proxy.accesslog.AccessLogTarget;
import corral.proxy.rules.LocationBlock.HeaderRule;
import corral.proxy.rules.LocationBlock.ProxyTarget;
import corral.proxy.rules.RouteDecision.HeaderSet;
import corral.proxy.rules.RouteDecision.Proxy;
import corral.proxy.rules.RouteDecision.Redirect;

import java.util.ArrayList;
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
    private final boolean logsOrCounts;
    /** Where no level sets root or types: nginx's html root under the prefix, and the types. */
    private final FileSettings fileDefaults;

    RouteEngine(Map<Integer, ServerSelector> ports) {
        this(ports, FileSettings.UNSET);
    }

    RouteEngine(Map<Integer, ServerSelector> ports, FileSettings fileDefaults) {
        this.fileDefaults = fileDefaults;
        this.ports = Map.copyOf(ports);
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
        ServerSelector selector = ports.get(request.listenPort());
        if (selector == null || !validMethod(request.method())) {
            return early(request, selector, ErrorPages.of(selector == null ? 404 : 400));
        }
        UriNormalizer.Target target = UriNormalizer.parse(request.rawUri());
        if (target == null) {
            return early(request, selector, ErrorPages.of(400));
        }
        String hostName = hostName(request, target);
        if (hostName == null || request.method().equals("TRACE") || request.method().equals("CONNECT")) {
            // nginx has the URI by now: its log line shows it, and $host is the default server's name
            RequestContext ctx = new RequestContext(request, hostName == null ? "" : hostName, target);
            ctx.server = selector.defaultServer();
            return new Routed(ErrorPages.of(hostName == null ? 400 : 405),
                    log(request, ctx, ctx.server.settings().accessLogs()));
        }
        RequestContext ctx = new RequestContext(request, hostName, target);
        ctx.fileDefaults = fileDefaults;
        ctx.server = selector.select(hostName, ctx);
        RouteDecision decision = withResponse(fromServerRewrites(ctx), ctx);
        ProxySettings where = ctx.location != null ? ctx.location.settings() : ctx.server.settings();
        return new Routed(decision, log(request, ctx, where.accessLogs()));
    }

    /** The request's log, or null (nothing allocated) when no rule logs or counts requests. */
    private RequestLog log(RouteRequest request, RequestContext ctx, List<AccessLogTarget> targets) {
        return logsOrCounts ? new RequestLog(request, ctx, targets) : null;
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
            return new Proxy(p.app(), p.uri(), p.headers(), p.proxyHost(), p.settings(),
                    ResponseEdits.of(ctx, rules, true), p.limits());
        }
        ResponseEdits edits = ResponseEdits.of(ctx, rules, false);
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

    /** Refused before a server was picked: logged as nginx does, by the port's default server. */
    private Routed early(RouteRequest request, ServerSelector selector, RouteDecision decision) {
        return new Routed(decision, log(request, null,
                selector == null ? null : selector.defaultServer().settings().accessLogs()));
    }

    /** The apps of the server nginx would pick for the Host (an invalid or missing one: the default server). */
    @Override
    public Set<String> appsReached(int port, String host) {
        ServerBlock server = server(port, host);
        return server == null ? Set.of() : server.apps();
    }

    /** The server nginx picks on {@code port} for a Host header (null or invalid: the default); null when none listens. */
    ServerBlock server(int port, String host) {
        ServerSelector selector = ports.get(port);
        if (selector == null) {
            return null;
        }
        String name = host == null ? "" : HostHeader.validate(host);
        return selector.select(name == null ? "" : name, null);
    }

    /** nginx takes upper-case letters, "_" and "-" as a method; anything else is a 400. */
    private static boolean validMethod(String method) {
        return !method.isEmpty() && method.chars().allMatch(c -> (c >= 'A' && c <= 'Z')
                || c == '_' || c == '-');
    }

    /**
     * The checked host name: the request line's, else the Host header's, else "". Null when
     * nginx answers 400: either is invalid, Host is repeated, or HTTP/1.1 comes without it.
     */
    private static String hostName(RouteRequest request, UriNormalizer.Target target) {
        long hosts = request.headers().stream()
                .filter(h -> h.name().equalsIgnoreCase("Host")).count();
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
     * @return the decision the request ends with
     */
    static RouteDecision internalRedirect(RequestContext ctx, String uri, String args) {
        if (--ctx.uriChanges == 0) {
            return ErrorPages.of(500);
        }
        ctx.uri = uri;
        ctx.args = args;
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
        if (settings.maxBodySize() <= 0) {
            return false;
        }
        for (RouteRequest.Header h : ctx.request.headers()) {
            if (h.name().equalsIgnoreCase("Content-Length")) {
                try {
                    return settings.tooLarge(Long.parseLong(h.value()));
                } catch (NumberFormatException e) {
                    return false;
                }
            }
        }
        return false;
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
        List<HeaderSet> headers = new ArrayList<>();
        for (HeaderRule rule : ctx.location.headers()) {
            headers.add(new HeaderSet(rule.name(), rule.value().render(ctx)));
        }
        // nginx's preaccess phase: the keys are made after the rewrites, in the final location
        ProxySettings settings = ctx.location.settings();
        return new Proxy(proxy.app(), uri, headers, proxy.proxyHost(), settings, ResponseEdits.NONE,
                settings.limits().forRequest(ctx));
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
