package corral.proxy.rules;

import java.util.Set;

/** Decides what happens to one request; pure, thread-safe, never blocks. */
@FunctionalInterface
public interface Router {

    RouteDecision route(RouteRequest request);

    /**
     * The apps that the server picked for {@code port} and {@code host} (a Host header, or null)
     * can proxy to: the {@code proxy_pass} targets of its locations. What that server's
     * {@code /health} answers for. None when no server listens on the port.
     */
    default Set<String> appsReached(int port, String host) {
        return Set.of();
    }
}
