package corral.proxy.health;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.Methods;
import java.util.Map;

/**
 * Answers the health path itself (200 or 503, with each pool's ready/configured counts in the
 * body) and passes every other request on. It stands first in each listener's chain, so the VIP
 * probe never depends on rules or workers answering.
 */
public final class HealthHandler implements HttpHandler {

    private final String path;
    private final Availability availability;
    private final HttpHandler next;

    public HealthHandler(String path, Availability availability, HttpHandler next) {
        this.path = path;
        this.availability = availability;
        this.next = next;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        if (!path.equals(exchange.getRequestPath())
                || !(exchange.getRequestMethod().equals(Methods.GET) || exchange.getRequestMethod().equals(Methods.HEAD))) {
            next.handleRequest(exchange);
            return;
        }
        boolean healthy = availability.healthy();
        exchange.setStatusCode(healthy ? 200 : 503);
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/plain; charset=utf-8");
        exchange.getResponseHeaders().put(Headers.CACHE_CONTROL, "no-store");
        exchange.getResponseSender().send(body(healthy));
    }

    private String body(boolean healthy) {
        StringBuilder b = new StringBuilder(healthy ? "ok" : "unavailable");
        if (!availability.online()) {
            b.append(" (offline)");
        }
        b.append('\n');
        for (Map.Entry<String, Availability.PoolHealth> e : availability.pools().entrySet()) {
            b.append(e.getKey()).append(' ').append(e.getValue().ready()).append('/')
                    .append(e.getValue().configured()).append(" ready\n");
        }
        return b.toString();
    }
}
