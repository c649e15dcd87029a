package corral.proxy.health;

import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.Methods;
import java.util.Set;
import java.util.TreeSet;

/**
 * Answers the health path itself and passes every other request on. It stands first in each
 * listener's chain, so the VIP probe never depends on rules or workers answering.
 *
 * <p>{@code GET /health} answers for the apps of this listener ({@link HealthScope}): 200 while
 * the machine is online and each of them is online with a ready instance, else 503. {@code GET
 * /health/<app>} answers for that one app, on any listener; an app the configuration does not
 * know is a 404 (a typo in a VIP's check, not an outage). The body lists each app's
 * ready/configured counts.
 */
public final class HealthHandler implements HttpHandler {

    private final String path;
    private final String appPrefix;
    private final Availability availability;
    private final HealthScope scope;
    private final HttpHandler next;

    public HealthHandler(String path, Availability availability, HealthScope scope, HttpHandler next) {
        this.path = path;
        this.appPrefix = path + "/";
        this.availability = availability;
        this.scope = scope;
        this.next = next;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        String requested = exchange.getRequestPath();
        boolean probe = exchange.getRequestMethod().equals(Methods.GET) || exchange.getRequestMethod().equals(Methods.HEAD);
        if (probe && path.equals(requested)) {
            answer(exchange, scope.apps(exchange.getRequestHeaders().getFirst(Headers.HOST)));
        } else if (probe && requested.startsWith(appPrefix) && requested.length() > appPrefix.length()) {
            String app = requested.substring(appPrefix.length());
            if (availability.state(app) == Availability.AppState.UNKNOWN) {
                send(exchange, 404, "no app named '" + app + "' (apps: " + String.join(", ", availability.apps()) + ")\n");
            } else {
                answer(exchange, Set.of(app));
            }
        } else {
            next.handleRequest(exchange);
        }
    }

    private void answer(HttpServerExchange exchange, Set<String> apps) {
        boolean healthy = availability.healthy(apps);
        send(exchange, healthy ? 200 : 503, body(healthy, apps));
    }

    private static void send(HttpServerExchange exchange, int status, String body) {
        exchange.setStatusCode(status);
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/plain; charset=utf-8");
        exchange.getResponseHeaders().put(Headers.CACHE_CONTROL, "no-store");
        exchange.getResponseSender().send(body);
    }

    /** {@code ok} or {@code unavailable (offline)}, then one line per app: {@code h5 4/4 ready (offline)}. */
    private String body(boolean healthy, Set<String> apps) {
        StringBuilder b = new StringBuilder(healthy ? "ok" : "unavailable");
        if (!availability.online()) {
            b.append(" (offline)");
        }
        b.append('\n');
        if (apps.isEmpty()) {
            b.append("no app behind this listener\n");
        }
        for (String app : new TreeSet<>(apps)) {
            Availability.PoolHealth pool = availability.pool(app);
            b.append(app).append(' ').append(pool.ready()).append('/').append(pool.configured()).append(" ready");
            Availability.AppState state = availability.state(app);
            if (state == Availability.AppState.OFFLINE) {
                b.append(" (offline)");
            } else if (state == Availability.AppState.UNKNOWN) {
                b.append(" (not configured)");
            }
            b.append('\n');
        }
        return b.toString();
    }
}
