package corral.proxy.forward;

import corral.proxy.balance.Upstream;
import corral.proxy.balance.UpstreamListener;
import io.undertow.UndertowOptions;
import io.undertow.client.UndertowClient;
import io.undertow.server.handlers.proxy.ConnectionPoolManager;
import io.undertow.server.handlers.proxy.ProxyConnectionPool;
import java.net.URI;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.xnio.OptionMap;
import org.xnio.Options;

/**
 * The keep-alive connections to each upstream: one Undertow {@link ProxyConnectionPool} per
 * instance, created when the instance becomes ready and forgotten when its process is gone.
 * Idle connections are closed after {@link UpstreamSettings#idleTimeout()}, all of them (soft
 * maximum 0), so none outlives the worker's own keep-alive timeout.
 *
 * <p>A retired instance's pool is deliberately not {@code close()}d: that method walks the
 * per-IO-thread deques of other threads without synchronisation. Its requests in flight finish on
 * their connections, which then idle out like any other (or are closed by the worker as it stops).
 */
public final class UpstreamConnections implements UpstreamListener {
    // Statistics give the read timeout its notion of progress (bytes read and written).
    private static final OptionMap CONNECTION_OPTIONS = OptionMap.builder()
            .set(UndertowOptions.ENABLE_STATISTICS, true)
            .set(Options.TCP_NODELAY, true)
            .getMap();

    private final Function<String, UpstreamSettings> settings;
    private final UndertowClient client = UndertowClient.getInstance();
    private final ConcurrentHashMap<Long, ProxyConnectionPool> pools = new ConcurrentHashMap<>();

    /** @param settings the settings of each pool, by app name; asked when an instance becomes ready */
    public UpstreamConnections(Function<String, UpstreamSettings> settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    /** The settings of pool {@code app}. */
    public UpstreamSettings settings(String app) {
        return settings.apply(app);
    }

    @Override
    public void added(Upstream upstream) {
        URI uri = URI.create("http://127.0.0.1:" + upstream.port());
        pools.put(upstream.id(), new ProxyConnectionPool(new Limits(settings(upstream.app())), uri, client,
                CONNECTION_OPTIONS));
    }

    @Override
    public void retired(Upstream upstream) {
        // Nothing to do: it gets no new request, and see the class comment for why no close().
    }

    @Override
    public void removed(Upstream upstream) {
        pools.remove(upstream.id());
    }

    /** The connection pool of {@code upstream}, or null once its process is gone. */
    ProxyConnectionPool pool(Upstream upstream) {
        return pools.get(upstream.id());
    }

    /** Open connections to {@code upstream}, busy or idle; 0 once it is forgotten. */
    public int openConnections(Upstream upstream) {
        ProxyConnectionPool pool = pools.get(upstream.id());
        return pool == null ? 0 : pool.getOpenConnections();
    }

    /**
     * Undertow's pool configuration. Health is not Undertow's business here: a connect failure
     * keeps the host available (no background re-probing), and the balancer's own down mark
     * ({@code PoolTable.markDown}) takes the instance to the back of the queue instead.
     */
    private record Limits(UpstreamSettings settings) implements ConnectionPoolManager {
        @Override
        public int getProblemServerRetry() {
            return -1;
        }

        @Override
        public int getMaxConnections() {
            return settings.connectionsPerThread();
        }

        @Override
        public int getMaxCachedConnections() {
            return settings.connectionsPerThread();
        }

        // 0: every idle connection is subject to the ttl, not just those above a soft maximum.
        @Override
        public int getSMaxConnections() {
            return 0;
        }

        @Override
        public long getTtl() {
            return settings.idleTimeout().toMillis();
        }

        @Override
        public int getMaxQueueSize() {
            return 0;
        }

        @Override
        public boolean isAvailable() {
            return true;
        }

        @Override
        public boolean handleError() {
            return true;
        }

        @Override
        public boolean clearError() {
            return true;
        }
    }
}
