package corral.proxy.status;

import corral.proxy.forward.FailureKind;
import corral.workers.pool.PoolView;
import corral.workers.proc.ProcFs;
import corral.workers.process.InstanceView;
import corral.workers.process.WorkerState;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * The metrics read from the daemon when Prometheus scrapes, so they cost the request path
 * nothing: pools and instances, the proxy's failures and refusals (exact counts, read from the
 * counters the forward layer keeps anyway), reloads, and the JVM's own. Labels are bounded: app
 * names, instance indexes (never pids), states, failure kinds, results.
 */
public final class FleetMetrics {

    /** The {@link FailureKind}s that say something about the pool's instances (not the client or the bulkhead). */
    static final List<FailureKind> UPSTREAM = List.of(FailureKind.QUEUE_TIMEOUT, FailureKind.NO_INSTANCE,
            FailureKind.BUSY, FailureKind.CONNECT, FailureKind.RESET, FailureKind.INVALID, FailureKind.TIMEOUT);

    private FleetMetrics() {
    }

    /** Registers every metric of {@code fleet}, and the JVM's, on {@code registry}. */
    public static void register(PrometheusRegistry registry, Fleet fleet) {
        gauge(registry, "corral_up", "1 while the daemon answers", cb -> cb.call(1));
        gauge(registry, "corral_online", "1 while /health may answer 200, 0 after bin/control offline",
                cb -> cb.call(fleet.online() ? 1 : 0));
        gauge(registry, "corral_upstream_in_flight", "Requests on the pool's instances now",
                cb -> fleet.pools().forEach(p -> cb.call(fleet.inFlight(p.app()), p.app())), "app");
        counter(registry, "corral_upstream_failures_total",
                "Error responses the proxy gave because of the pool (502/503/504), by kind",
                cb -> fleet.pools().forEach(p -> UPSTREAM.forEach(kind ->
                        cb.call(fleet.failures(p.app(), kind), p.app(), kind.metricName()))), "app", "kind");
        counter(registry, "corral_upstream_retries_total", "Attempts sent again to another instance of the pool",
                cb -> fleet.pools().forEach(p -> cb.call(fleet.retries(p.app()), p.app())), "app");
        counter(registry, "corral_bulkhead_rejected_total", "Requests refused at once with 503: the pool's bulkhead was full",
                cb -> fleet.pools().forEach(p -> cb.call(fleet.failures(p.app(), FailureKind.BULKHEAD), p.app())), "app");
        gauge(registry, "corral_instances", "Instances of the pool by state",
                cb -> fleet.pools().forEach(p -> byState(p).forEach((state, n) ->
                        cb.call(n, p.app(), state.name().toLowerCase()))), "app", "state");
        counter(registry, "corral_instance_restarts_total", "Restarts of the pool's instances after they exited",
                cb -> fleet.pools().forEach(p -> cb.call(restarts(p), p.app())), "app");
        gauge(registry, "corral_instance_memory_bytes", "Resident memory of the instance's process tree",
                cb -> fleet.measuredPools().forEach(p -> memory(p).forEach((index, bytes) ->
                        cb.call(bytes, p.app(), Integer.toString(index)))), "app", "instance");
        counter(registry, "corral_instance_cpu_seconds_total",
                "CPU time (user + system) of the instance's current process; starts again at 0 when it is replaced",
                cb -> fleet.pools().forEach(p -> newest(p).forEach((index, i) ->
                        cb.call(ProcFs.cpuNanos(i.pid()) / 1e9, p.app(), Integer.toString(index)))), "app", "instance");
        counter(registry, "corral_reloads_total", "Zero-downtime reloads of an app, by result (ok, failed)",
                cb -> reloadedApps(fleet).forEach(app -> {
                    cb.call(fleet.reloads().count(app, true), app, "ok");
                    cb.call(fleet.reloads().count(app, false), app, "failed");
                }), "app", "result");
        counter(registry, "corral_config_reloads_total", "reload-conf (and SIGHUP) runs, by result (ok, failed)", cb -> {
            cb.call(fleet.reloads().count(ReloadHistory.CONFIG, true), "ok");
            cb.call(fleet.reloads().count(ReloadHistory.CONFIG, false), "failed");
        }, "result");
        JvmMetrics.builder().register(registry);
    }

    private static void gauge(PrometheusRegistry registry, String name, String help,
                              Consumer<GaugeWithCallback.Callback> values, String... labels) {
        GaugeWithCallback.builder().name(name).help(help).labelNames(labels).callback(values).register(registry);
    }

    private static void counter(PrometheusRegistry registry, String name, String help,
                                Consumer<CounterWithCallback.Callback> values, String... labels) {
        CounterWithCallback.builder().name(name).help(help).labelNames(labels).callback(values).register(registry);
    }

    /** Every state with its count, zeros included, so a dashboard sees a state empty rather than absent. */
    static Map<WorkerState, Integer> byState(PoolView pool) {
        Map<WorkerState, Integer> n = new EnumMap<>(WorkerState.class);
        for (WorkerState s : WorkerState.values()) {
            n.put(s, 0);
        }
        pool.instances().forEach(i -> n.merge(i.state(), 1, Integer::sum));
        return n;
    }

    /** Restarts summed over the pool's slots (an index may appear twice while it is being replaced). */
    static long restarts(PoolView pool) {
        Map<Integer, Integer> bySlot = new TreeMap<>();
        pool.instances().forEach(i -> bySlot.merge(i.index(), i.restarts(), Math::max));
        return bySlot.values().stream().mapToLong(Integer::longValue).sum();
    }

    /** Memory by instance index: while a slot is replaced, its old and new processes together. */
    static Map<Integer, Long> memory(PoolView pool) {
        Map<Integer, Long> bySlot = new TreeMap<>();
        pool.instances().stream().filter(i -> i.pid() > 0).forEach(i -> bySlot.merge(i.index(), i.rssBytes(), Long::sum));
        return bySlot;
    }

    /** The newest process of each instance index. */
    static Map<Integer, InstanceView> newest(PoolView pool) {
        Map<Integer, InstanceView> bySlot = new TreeMap<>();
        pool.instances().stream().filter(i -> i.pid() > 0)
                .forEach(i -> bySlot.merge(i.index(), i, (a, b) -> a.id() >= b.id() ? a : b));
        return bySlot;
    }

    private static List<String> reloadedApps(Fleet fleet) {
        TreeMap<String, Boolean> apps = new TreeMap<>();
        fleet.pools().forEach(p -> apps.put(p.app(), true));
        fleet.reloads().apps().forEach(a -> apps.put(a, true));
        apps.remove(ReloadHistory.CONFIG);
        return List.copyOf(apps.keySet());
    }
}
