package corral.proxy.rules;

import com.codahale.metrics.MetricRegistry;
import corral.proxy.accesslog.AccessLogFiles;
import corral.proxy.balance.LeastInFlight;
import corral.proxy.forward.AccessLog;
import corral.proxy.balance.PoolTable;
import corral.proxy.forward.ForwardHandler;
import corral.proxy.forward.UpstreamConnections;
import corral.proxy.forward.UpstreamSettings;
import corral.proxy.health.Availability;
import corral.proxy.limit.LimitCounts;
import corral.proxy.listen.ClientLimits;
import corral.proxy.listen.PortRole;
import corral.proxy.listen.TrafficListeners;
import corral.proxy.status.HttpRequests;
import corral.workers.pool.PoolView;
import corral.workers.process.InstanceView;
import corral.workers.process.WorkerState;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.xnio.OptionMap;
import org.xnio.Options;
import org.xnio.Xnio;
import org.xnio.XnioWorker;

/**
 * Corral's real traffic listeners (strict framing, vhost routing, forwarding) in the test's JVM,
 * on a {@link VhostConfig}, forwarding to the test's echo upstreams (app name to port), as the
 * daemon wires them. {@link #reload} swaps the rules and re-applies the ports, as
 * {@code reload-conf} does.
 */
final class CorralListeners implements AutoCloseable {

    private final XnioWorker worker;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final AtomicReference<VhostConfig> rules;
    private final TrafficListeners listeners;
    private final AccessLogFiles accessLogs = new AccessLogFiles();

    CorralListeners(VhostConfig config, Map<String, Integer> echoes) throws IOException {
        this(echoes.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, e -> List.of(e.getValue()))),
                config);
    }

    /** Each app a pool of one instance per port, in order. */
    CorralListeners(Map<String, List<Integer>> pools, VhostConfig config) throws IOException {
        this.rules = new AtomicReference<>(config);
        this.worker = Xnio.getInstance().createWorker(OptionMap.builder()
                .set(Options.WORKER_IO_THREADS, 2).set(Options.WORKER_TASK_MAX_THREADS, 4).getMap());
        UpstreamConnections connections = new UpstreamConnections(app -> UpstreamSettings.DEFAULTS);
        PoolTable table = new PoolTable(app -> new LeastInFlight(), connections, timer, Clock.systemUTC());
        // each instance with its own id, across apps: connections are pooled by instance id
        long[] id = {0};
        pools.forEach((app, ports) -> table.poolChanged(new PoolView(app, 1, IntStream.range(0, ports.size())
                .mapToObj(i -> new InstanceView(app, i, ++id[0], 0, 0, ports.get(i), WorkerState.READY, Instant.now(), 0, 0))
                .toList())));
        ForwardHandler forward = ForwardHandler.builder(table, connections).metrics(new MetricRegistry()).build();
        this.listeners = new TrafficListeners(worker, "127.0.0.1", ClientLimits.DEFAULTS, "/health",
                new Availability(), rules::get, forward, new MetricRegistry(),
                HttpRequests.register(new PrometheusRegistry()));
        accessLogs.use(config.accessLogTargets());
        listeners.logging().logTo(AccessLog.NONE, accessLogs);
        listeners.apply(roles(config));
    }

    /** What limit_req and limit_conn did. */
    LimitCounts limitCounts() {
        return listeners.limitCounts();
    }

    /** The files of the rules' access_log directives. */
    AccessLogFiles accessLogs() {
        return accessLogs;
    }

    void reload(VhostConfig config) throws IOException {
        accessLogs.use(config.accessLogTargets());
        rules.set(config);
        listeners.apply(roles(config));
    }

    private static Map<Integer, PortRole> roles(VhostConfig config) {
        Map<Integer, PortRole> roles = new LinkedHashMap<>();
        config.listenAddresses().forEach(a -> roles.put(a.port(),
                new PortRole.Vhost(Optional.ofNullable(a.host()), config.tls(a.port()))));
        return roles;
    }

    @Override
    public void close() {
        listeners.close();
        accessLogs.close();
        worker.shutdownNow();
        timer.shutdownNow();
    }
}
