package corral.proxy.forward;

import com.codahale.metrics.MetricRegistry;
import corral.fixtures.AppProcess;
import corral.fixtures.FreePorts;
import corral.proxy.balance.BalancePolicy;
import corral.proxy.balance.PoolTable;
import corral.proxy.balance.Upstream;
import corral.workers.pool.PoolView;
import corral.workers.process.InstanceView;
import corral.workers.process.WorkerState;
import io.undertow.Undertow;
import io.undertow.UndertowOptions;
import io.undertow.server.HttpServerExchange;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Function;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Assertions;

/**
 * A real Undertow listener on a free loopback port whose chain is "route, then forward", over a
 * {@link PoolTable} that tests feed by hand with pool views, as the supervisor would.
 */
final class ProxyFixture implements AutoCloseable {
    static final String APP = "h5";

    final MetricRegistry registry = new MetricRegistry();
    final List<AccessRecord> accessLog = new CopyOnWriteArrayList<>();
    final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    final UpstreamConnections connections;
    final PoolTable table;
    final int port = FreePorts.pick();
    private final ForwardHandler forward;
    private final Undertow server;
    /** How the test's "routing layer" turns an exchange into a target; by default pool h5, URI as received. */
    volatile Function<HttpServerExchange, ForwardTarget> route = exchange -> ForwardTarget.of(APP, receivedUri(exchange));

    ProxyFixture(UpstreamSettings settings, BalancePolicy policy) {
        this(settings, policy, 64L * 1024 * 1024);
    }

    /** @param maxEntitySize the listener's body limit (nginx {@code client_max_body_size}) */
    ProxyFixture(UpstreamSettings settings, BalancePolicy policy, long maxEntitySize) {
        this(app -> settings, policy, maxEntitySize);
    }

    /** @param settings each pool's settings, by app name */
    ProxyFixture(Function<String, UpstreamSettings> settings, BalancePolicy policy, long maxEntitySize) {
        connections = new UpstreamConnections(settings);
        table = new PoolTable(app -> policy, connections, timer, Clock.systemUTC());
        forward = ForwardHandler.builder(table, connections)
                .metrics(registry).accessLog(accessLog::add).build();
        server = Undertow.builder()
                .addHttpListener(port, "127.0.0.1")
                .setIoThreads(2)
                .setWorkerThreads(4)
                .setServerOption(UndertowOptions.MAX_ENTITY_SIZE, maxEntitySize)
                .setHandler(exchange -> {
                    exchange.putAttachment(ForwardTarget.KEY, route.apply(exchange));
                    forward.handleRequest(exchange);
                })
                .build();
        server.start();
    }

    /** A proxy over one instance listening on {@code port}: pool h5 with it alone, default settings. */
    static ProxyFixture overOne(int port) {
        ProxyFixture proxy = new ProxyFixture(UpstreamSettings.DEFAULTS, new LowestIndexFirst());
        proxy.publish(ready(0, 1, port));
        return proxy;
    }

    /** Publishes pool h5 with exactly these instances, as the supervisor does on every change. */
    void publish(InstanceView... instances) {
        table.poolChanged(new PoolView(APP, instances.length, List.of(instances)));
    }

    static InstanceView instance(int index, long id, long pid, int port, WorkerState state) {
        return new InstanceView(APP, index, id, pid, 0, port, state, Instant.now(), 0, 0);
    }

    static InstanceView ready(int index, long id, int port) {
        return instance(index, id, 0, port, WorkerState.READY);
    }

    static InstanceView ready(int index, AppProcess app) {
        return instance(index, app.pid(), app.pid(), app.port(), WorkerState.READY);
    }

    static InstanceView draining(int index, AppProcess app) {
        return instance(index, app.pid(), app.pid(), app.port(), WorkerState.DRAINING);
    }

    /** The upstream of instance {@code id} in the current snapshot or among the draining ones. */
    Upstream upstream(long id) {
        return table.snapshot(APP).routable().stream().filter(u -> u.id() == id).findFirst()
                .orElseThrow(() -> new AssertionError("no routable upstream with id " + id));
    }

    /** Pool {@code app}'s bulkhead now. */
    BulkheadFigures bulkhead(String app) {
        return forward.bulkhead(app);
    }

    URI uri(String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + port + pathAndQuery);
    }

    long count(String metric) {
        if (registry.getMeters().containsKey(metric)) {
            return registry.meter(metric).getCount();
        }
        if (registry.getTimers().containsKey(metric)) {
            return registry.timer(metric).getCount();
        }
        throw new AssertionError("no meter or timer " + metric + " in " + registry.getNames());
    }

    private long countOrZero(String metric) {
        return registry.getNames().contains(metric) ? count(metric) : 0;
    }

    /** Waits (a few seconds at most) until a meter or timer reaches {@code expected}, then checks it. */
    void awaitCount(String metric, long expected) {
        Awaitility.await(metric).atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(10))
                .until(() -> countOrZero(metric) >= expected);
        Assertions.assertEquals(expected, count(metric), metric);
    }

    /**
     * The access-log record number {@code index}, waiting a few seconds for it: the record is
     * written when the exchange completes, which may be after the client has its response.
     */
    AccessRecord awaitAccessRecord(int index) {
        Awaitility.await("access-log record " + index).atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(10))
                .until(() -> accessLog.size() > index);
        return accessLog.get(index);
    }

    static String receivedUri(HttpServerExchange exchange) {
        String query = exchange.getQueryString();
        return exchange.getRequestURI() + (query == null || query.isEmpty() ? "" : "?" + query);
    }

    @Override
    public void close() {
        server.stop();
        timer.shutdownNow();
    }
}
