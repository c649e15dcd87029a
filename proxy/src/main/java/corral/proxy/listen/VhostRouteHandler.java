package corral.proxy.listen;

import corral.proxy.accesslog.StubStatus;
import corral.proxy.files.FileResponse;
import corral.proxy.forward.ConnectionAddresses;
import corral.proxy.forward.ErrorPageHook;
import corral.proxy.forward.ForwardTarget;
import corral.proxy.forward.HeaderOp;
import corral.proxy.gzip.GzipFilter;
import corral.proxy.rules.ErrorPages;
import corral.proxy.rules.RouteDecision;
import corral.proxy.rules.RouteRequest;
import corral.proxy.rules.Router;
import io.undertow.server.Connectors;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import io.undertow.util.SameThreadExecutor;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Applies the vhost rules to a request and carries out their decision: forward to a pool (with
 * the rewritten URI and the {@code proxy_set_header} changes), redirect, answer, or close. The
 * rules are read from a supplier on every request, so a reload swaps them between two requests.
 */
final class VhostRouteHandler implements HttpHandler {

    private final Supplier<Router> rules;
    private final HttpHandler next;
    private final LimitGate limits;
    private final VhostLogging logging;

    VhostRouteHandler(Supplier<Router> rules, HttpHandler next, LimitGate limits, VhostLogging logging) {
        this.rules = rules;
        this.next = next;
        this.limits = limits;
        this.logging = logging;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        Router.Routed routed = rules.get().routed(request(exchange));
        RouteDecision decision = routed.decision();
        logging.logWhenDone(exchange, routed.log(), decision instanceof RouteDecision.Proxy);
        carryOut(exchange, decision, routed.errors(), true);
    }

    /**
     * Carries out a decision: the rules' first, or an error page's ({@code limited} false: the
     * limits were met by the request already, as nginx checks them once per request).
     */
    private void carryOut(HttpServerExchange exchange, RouteDecision decision, Router.ErrorRedirect errors,
                          boolean limited) throws Exception {
        if (decision instanceof RouteDecision.Proxy p) {
            if (errors != null) {
                exchange.putAttachment(ErrorPageHook.KEY, errorPages(errors));
            }
            if (!limited || p.limits().isEmpty()) {
                forward(exchange, p); // no limit here: nothing allocated for them
            } else {
                limits.apply(exchange, p.limits(), ex -> forward(ex, p));
            }
        } else if (decision instanceof RouteDecision.Redirect r) {
            ResponseHeadFilter.install(exchange, r.response(), Clock.systemUTC());
            exchange.setStatusCode(r.status());
            if (!r.location().isEmpty()) {
                exchange.getResponseHeaders().put(Headers.LOCATION, r.location());
            }
            exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/html");
            exchange.getResponseSender().send(redirectBody(r.status()));
        } else if (decision instanceof RouteDecision.Respond r) {
            ResponseHeadFilter.install(exchange, r.response(), Clock.systemUTC());
            respond(exchange, r);
        } else if (decision instanceof RouteDecision.File f) {
            GzipFilter.install(exchange, f.gzip());
            FileResponse.send(exchange, f.file(), new FileResponse.Filters() {
                @Override
                public void headers() {
                    ResponseHeadFilter.applyNow(exchange, f.response(), Clock.systemUTC());
                }

                @Override
                public boolean compresses() {
                    return GzipFilter.compresses(exchange, f.gzip());
                }

                @Override
                public void error(int status) {
                    ResponseHeadFilter.install(exchange, f.response(), Clock.systemUTC());
                    respond(exchange, ErrorPages.of(status));
                }
            });
        } else if (decision instanceof RouteDecision.StubStatus) {
            exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, StubStatus.CONTENT_TYPE);
            exchange.getResponseSender().send(logging.stubStatus().text());
        } else {
            exchange.setStatusCode(444); // nothing is sent; the access log says 444, as nginx's
            exchange.getConnection().close();
        }
    }

    /**
     * The error pages of a proxied request, for the forwarder and the limits: the page's decision
     * takes the exchange over (the first answer's response wrappers dropped), carried out once the
     * current handler call is over.
     */
    private ErrorPageHook errorPages(Router.ErrorRedirect errors) {
        return new ErrorPageHook() {
            @Override
            public boolean intercepts(int status) {
                return errors.intercepts(status);
            }

            @Override
            public boolean answer(HttpServerExchange exchange, int status, boolean fromInstance) {
                RouteDecision page = errors.errorPage(status, fromInstance);
                if (page == null) {
                    return false;
                }
                AnswerScope.next(exchange);
                exchange.dispatch(SameThreadExecutor.INSTANCE, () -> Connectors.executeRootHandler(
                        ex -> carryOut(ex, page, errors, false), exchange));
                return true;
            }
        };
    }

    private void forward(HttpServerExchange exchange, RouteDecision.Proxy p) throws Exception {
        long maxBody = p.settings().maxBodySize();
        if (maxBody >= 0) {
            // client_max_body_size of the location: a body without Content-Length is cut at it
            exchange.setMaxEntitySize(maxBody == 0 ? -1 : maxBody);
        }
        if (p.method() != null) {
            exchange.setRequestMethod(HttpString.tryFromString(p.method())); // an error page's GET
        }
        GzipFilter.install(exchange, p.settings().gzip(), AnswerScope.current(exchange));
        // after gzip: runs first, as nginx's headers filter runs before its gzip filter
        ResponseHeadFilter.install(exchange, p.response(), Clock.systemUTC());
        exchange.putAttachment(ForwardTarget.KEY, new ForwardTarget(p.app(), p.uri(), headers(p),
                p.settings().readTimeout(), false, p.settings().retries(), p.group()));
        next.handleRequest(exchange);
    }

    static void respond(HttpServerExchange exchange, RouteDecision.Respond r) {
        exchange.setStatusCode(r.status());
        if (!r.contentType().isEmpty()) {
            exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, r.contentType());
        }
        exchange.getResponseSender().send(ByteBuffer.wrap(r.bodyBytes()));
    }

    /**
     * The rules' header changes. nginx sends {@code Host: $proxy_host} (the upstream's name) unless
     * told otherwise; we do the same so an app sees what it saw behind nginx.
     */
    private static List<HeaderOp> headers(RouteDecision.Proxy p) {
        List<RouteDecision.HeaderSet> sets = p.headers();
        List<HeaderOp> ops = new ArrayList<>(sets.size() + 1);
        boolean hostSet = false;
        for (int i = 0; i < sets.size(); i++) { // loops, not streams: this runs for every request (issue 12)
            hostSet |= sets.get(i).name().equalsIgnoreCase("Host");
        }
        if (!hostSet) {
            ops.add(new HeaderOp("Host", p.proxyHost()));
        }
        for (int i = 0; i < sets.size(); i++) {
            ops.add(new HeaderOp(sets.get(i).name(), sets.get(i).value()));
        }
        return ops;
    }

    static RouteRequest request(HttpServerExchange exchange) {
        String query = exchange.getQueryString();
        String rawUri = query == null || query.isEmpty() ? exchange.getRequestURI() : exchange.getRequestURI() + "?" + query;
        ConnectionAddresses ends = ConnectionAddresses.of(exchange);
        return new RouteRequest(ends.localPort(), ends.localAddr(), ends.remoteAddr(), exchange.getRequestScheme(),
                exchange.getRequestMethod().toString(), exchange.getProtocol().toString(),
                exchange.getRequestHeaders().getFirst(Headers.HOST), rawUri,
                new ExchangeHeaders(exchange.getRequestHeaders()));
    }

    private static String redirectBody(int status) {
        String reason = switch (status) {
            case 301 -> "301 Moved Permanently";
            case 302 -> "302 Found";
            case 303 -> "303 See Other";
            case 307 -> "307 Temporary Redirect";
            case 308 -> "308 Permanent Redirect";
            default -> Integer.toString(status);
        };
        return "<html>\r\n<head><title>" + reason + "</title></head>\r\n<body>\r\n<center><h1>" + reason
                + "</h1></center>\r\n<hr><center>corral</center>\r\n</body>\r\n</html>\r\n";
    }
}
