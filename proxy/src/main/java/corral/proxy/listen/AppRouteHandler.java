package corral.proxy.listen;

import corral.proxy.forward.ForwardTarget;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import java.util.List;

/** Routes every request of an app's public port to that app's pool, with the URI as received. */
final class AppRouteHandler implements HttpHandler {

    private final String app;
    private final HttpHandler next;

    AppRouteHandler(String app, HttpHandler next) {
        this.app = app;
        this.next = next;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        String query = exchange.getQueryString();
        String uri = exchange.getRequestURI() + (query == null || query.isEmpty() ? "" : "?" + query);
        exchange.putAttachment(ForwardTarget.KEY, new ForwardTarget(app, uri, List.of()));
        next.handleRequest(exchange);
    }
}
