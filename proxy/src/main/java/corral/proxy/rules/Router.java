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

    /**
     * A decision and, when the rules have an {@code access_log} anywhere, its request's log; and
     * for a proxied request where {@code error_page}s apply, what they make of the errors met
     * later (null where none apply).
     */
    record Routed(RouteDecision decision, RequestLog log, ErrorRedirect errors) {

        public Routed(RouteDecision decision, RequestLog log) {
            this(decision, log, null);
        }
    }

    /**
     * nginx's {@code error_page} for the errors of a proxied request that come after the rules
     * ran: a limit_req/limit_conn refusal, the forwarder's own 502/503/504, and with
     * {@code proxy_intercept_errors on} an instance's answer. Used by the thread that carries the
     * request, one call at a time.
     */
    interface ErrorRedirect {

        /**
         * Whether an instance's answer with {@code status} is dropped for an error page
         * ({@code proxy_intercept_errors on} and an {@code error_page} for it where the request is).
         */
        boolean intercepts(int status);

        /**
         * The answer for an error of {@code status}: the error page's decision, or null when no
         * {@code error_page} takes it (the error is sent as it is). For an answer the instance
         * made ({@code fromInstance}), never null: an intercepted answer that no page takes is
         * nginx's own page for its status.
         */
        RouteDecision errorPage(int status, boolean fromInstance);
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
