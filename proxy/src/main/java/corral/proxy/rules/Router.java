package corral.proxy.rules;

import java.util.Set;

/** Decides what happens to one request; pure, thread-safe, never blocks. */
@FunctionalInterface
public interface Router {

    RouteDecision route(RouteRequest request);

    /**
     * The decision, with what the request's access-log line needs ({@link RequestLog}, null when
     * nothing logs): the {@code access_log}s in effect where it ended and its variables after the
     * rewrites.
     */
    default Routed routed(RouteRequest request) {
        return new Routed(route(request), null);
    }

    /**
     * Whether any {@code access_log} or {@code stub_status} is configured: only then does
     * {@link #routed} carry a {@link RequestLog} (else the request allocates none).
     */
    default boolean logsOrCounts() {
        return false;
    }

    /** A decision and, when the rules have an {@code access_log} anywhere, its request's log. */
    record Routed(RouteDecision decision, RequestLog log) {
    }

    /**
     * The apps that the server picked for {@code port} and {@code host} (a Host header, or null)
     * can proxy to: the {@code proxy_pass} targets of its locations. What that server's
     * {@code /health} answers for. None when no server listens on the port.
     */
    default Set<String> appsReached(int port, String host) {
        return Set.of();
    }
}
