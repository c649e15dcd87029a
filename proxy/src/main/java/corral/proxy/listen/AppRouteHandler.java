package corral.proxy.listen;

import corral.proxy.forward.ForwardTarget;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.StatusCodes;
import java.util.List;

/**
 * Routes every request of an app's public port to that app's pool, with the URI as received (its
 * dot-segments, if any, already resolved by {@link corral.proxy.strict.StrictFraming}). An
 * absolute-form target ({@code GET http://host/path}) is sent as its path, as nginx sends it; a
 * target that is not a path at all ({@code CONNECT host:port}, {@code OPTIONS *}) is a 400.
 */
final class AppRouteHandler implements HttpHandler {

    private final String app;
    private final HttpHandler next;

    AppRouteHandler(String app, HttpHandler next) {
        this.app = app;
        this.next = next;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        String path = originPath(exchange);
        if (!path.startsWith("/")) {
            exchange.setStatusCode(StatusCodes.BAD_REQUEST);
            exchange.setPersistent(false);
            exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/plain; charset=utf-8");
            exchange.getResponseSender().send("400 Bad Request: the request target is not a path\n");
            return;
        }
        String query = exchange.getQueryString();
        String uri = path + (query == null || query.isEmpty() ? "" : "?" + query);
        exchange.putAttachment(ForwardTarget.KEY, new ForwardTarget(app, uri, List.of()));
        next.handleRequest(exchange);
    }

    /** The target's path as received: for {@code http://host/path} the {@code /path} part. */
    private static String originPath(HttpServerExchange exchange) {
        String uri = exchange.getRequestURI();
        int authority = uri.indexOf("://");
        if (!exchange.isHostIncludedInRequestURI() || authority < 0) {
            return uri; // a CONNECT's host:port stays what it is: not a path
        }
        int slash = uri.indexOf('/', authority + 3);
        return slash < 0 ? "/" : uri.substring(slash);
    }
}
