package corral.proxy.forward;

import corral.proxy.balance.PoolTable;
import corral.proxy.balance.Upstream;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.handlers.proxy.ProxyCallback;
import io.undertow.server.handlers.proxy.ProxyClient;
import io.undertow.server.handlers.proxy.ProxyConnection;
import io.undertow.server.handlers.proxy.ProxyConnectionPool;
import java.util.concurrent.TimeUnit;

/**
 * Undertow's {@link ProxyClient} for Corral's pools: {@code ProxyHandler} asks it for a target
 * (first and on each retry) and for a connection to it. The target is the balancer's choice among
 * the instances the exchange has not tried yet, so an exchange is tried at most once per instance;
 * the connection comes from that instance's keep-alive pool and is wrapped to track the attempt.
 */
final class PoolProxyClient implements ProxyClient {
    private final PoolTable table;
    private final UpstreamConnections connections;
    private final ForwardMetrics metrics;

    PoolProxyClient(PoolTable table, UpstreamConnections connections, ForwardMetrics metrics) {
        this.table = table;
        this.connections = connections;
        this.metrics = metrics;
    }

    @Override
    public ProxyTarget findTarget(HttpServerExchange exchange) {
        Forwarding forwarding = exchange.getAttachment(Forwarding.KEY);
        if (forwarding == null) {
            return null;
        }
        Upstream upstream = forwarding.nextAttempt();
        if (upstream == null) {
            return null;
        }
        if (forwarding.attempts() > 1) {
            metrics.pool(forwarding.app()).retried();
        }
        return new InstanceTarget(upstream);
    }

    @Override
    public void getConnection(ProxyTarget target, HttpServerExchange exchange, ProxyCallback<ProxyConnection> callback,
                              long timeout, TimeUnit timeUnit) {
        Forwarding forwarding = exchange.getAttachment(Forwarding.KEY);
        Upstream upstream = ((InstanceTarget) target).upstream();
        ProxyConnectionPool pool = connections.pool(upstream);
        if (pool == null) {
            // Its process went away between the choice and now: nothing was sent, try another.
            forwarding.connectFailed();
            callback.failed(exchange);
            return;
        }
        pool.connect(target, exchange, new Connecting(upstream, forwarding, callback), timeout, timeUnit, false);
    }

    /**
     * The instance chosen for one attempt. The retry budget it announces is unbounded because the
     * real bound is the pool: every retry needs an instance the exchange has not tried.
     */
    private record InstanceTarget(Upstream upstream) implements MaxRetriesProxyTarget {
        @Override
        public int getMaxRetries() {
            return Integer.MAX_VALUE;
        }
    }

    /** Classifies the outcome of getting a connection, then hands it on to {@code ProxyHandler}. */
    private final class Connecting implements ProxyCallback<ProxyConnection> {
        private final Upstream upstream;
        private final Forwarding forwarding;
        private final ProxyCallback<ProxyConnection> next;

        Connecting(Upstream upstream, Forwarding forwarding, ProxyCallback<ProxyConnection> next) {
            this.upstream = upstream;
            this.forwarding = forwarding;
            this.next = next;
        }

        @Override
        public void completed(HttpServerExchange exchange, ProxyConnection result) {
            table.markUp(upstream);
            // An empty target path: ProxyHandler then sends the exchange's URI as it is.
            next.completed(exchange, new ProxyConnection(new TrackedConnection(result.getConnection(), forwarding, next), ""));
        }

        @Override
        public void failed(HttpServerExchange exchange) {
            forwarding.connectFailed();
            table.markDown(upstream, forwarding.settings().failTimeout());
            next.failed(exchange);
        }

        @Override
        public void queuedRequestFailed(HttpServerExchange exchange) {
            forwarding.busy();
            next.queuedRequestFailed(exchange);
        }

        @Override
        public void couldNotResolveBackend(HttpServerExchange exchange) {
            next.couldNotResolveBackend(exchange);
        }
    }
}
