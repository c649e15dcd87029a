package corral.proxy.forward;

import corral.proxy.balance.PoolTable;
import corral.proxy.balance.Upstream;
import io.undertow.UndertowLogger;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.SameThreadExecutor;
import io.undertow.util.StatusCodes;
import org.xnio.IoUtils;

/**
 * Sends an exchange that holds its pool's bulkhead slot to an instance, and again to the next
 * one while its {@link Forwarding} allows it; each try is an {@link Attempt}. It stands where
 * Undertow's {@code ProxyHandler} stood and keeps its outward behaviour (retries, the 503 that
 * {@link ErrorResponses} turns into the proxy's own answer, one {@code UT005028} line per real
 * failure), without its per-request wiring (issue 12).
 */
final class Forwarder implements HttpHandler {
    final PoolTable table;
    final UpstreamConnections connections;
    private final ForwardMetrics metrics;

    Forwarder(PoolTable table, UpstreamConnections connections, ForwardMetrics metrics) {
        this.table = table;
        this.connections = connections;
        this.metrics = metrics;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) {
        Forwarding forwarding = exchange.getAttachment(Forwarding.KEY);
        Upstream upstream = forwarding.nextAttempt();
        if (upstream == null) {
            ErrorResponses.send(exchange, forwarding, FailureKind.NO_INSTANCE);
            return;
        }
        if (exchange.isResponseStarted()) {
            // a rule already answered: a configuration error, answered as ProxyHandler did
            UndertowLogger.REQUEST_LOGGER.cannotProxyStartedRequest(exchange);
            exchange.setStatusCode(StatusCodes.INTERNAL_SERVER_ERROR);
            exchange.endExchange();
            return;
        }
        Attempt attempt = new Attempt(this, forwarding, upstream);
        // Dispatched, so that the attempt runs once this handler returned: resuming the request
        // channel's reads inside the handler call (a body transfer) would make Undertow throw
        // "resumed and dispatched", and a handler that returns undispatched ends its exchange.
        exchange.dispatch(exchange.isInIoThread() ? SameThreadExecutor.INSTANCE : exchange.getIoThread(), attempt::connect);
    }

    /**
     * The attempt failed without an answer to pass on: the next instance, if the exchange's
     * {@link Forwarding} allows another attempt, else the proxy's error answer.
     */
    void retry(Forwarding forwarding) {
        HttpServerExchange exchange = forwarding.exchange();
        Upstream next = forwarding.nextAttempt();
        if (next == null) {
            giveUp(exchange);
            return;
        }
        metrics.pool(forwarding.app()).retried();
        new Attempt(this, forwarding, next).connect();
    }

    /**
     * No instance answers the exchange: a 503 that {@link ErrorResponses} (the exchange's default
     * response listener) turns into the attempt's own failure answer or an error page; a client
     * that already has a status line loses its connection instead.
     */
    static void giveUp(HttpServerExchange exchange) {
        if (exchange.isResponseStarted()) {
            IoUtils.safeClose(exchange.getConnection());
        } else {
            exchange.setStatusCode(StatusCodes.SERVICE_UNAVAILABLE);
            exchange.endExchange();
        }
    }
}
