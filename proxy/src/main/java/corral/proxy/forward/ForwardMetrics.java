package corral.proxy.forward;

import com.codahale.metrics.Gauge;
import com.codahale.metrics.Meter;
import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.Timer;
import corral.proxy.balance.PoolTable;
import corral.proxy.metrics.RecorderReservoir;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The forward layer's metrics, all with bounded names built from configured names only (app and
 * listener names), never from URLs, pids or ports:
 * <pre>
 * corral.pool.&lt;app&gt;.requests            timer: every forwarded request, whatever its outcome
 * corral.pool.&lt;app&gt;.errors.&lt;kind&gt;        meter: error responses the proxy gave, by {@link FailureKind}
 * corral.pool.&lt;app&gt;.retries             meter: attempts sent again to another instance
 * corral.pool.&lt;app&gt;.inflight            gauge: requests in flight on the pool's instances
 * corral.pool.&lt;app&gt;.queued              gauge: requests waiting in the pool's bulkhead
 *                                        (refusals: errors.bulkhead, errors.queue_timeout)
 * </pre>
 */
final class ForwardMetrics {
    private final MetricRegistry registry;
    private final PoolTable table;
    private final Bulkheads bulkheads;
    private final Map<String, PoolMetrics> pools = new ConcurrentHashMap<>();

    ForwardMetrics(MetricRegistry registry, PoolTable table, Bulkheads bulkheads) {
        this.registry = registry;
        this.table = table;
        this.bulkheads = bulkheads;
    }

    PoolMetrics pool(String app) {
        // get first: PoolMetrics::new captures this, so computeIfAbsent alone made a lambda per call
        // (twice a request, issue 12)
        PoolMetrics pool = pools.get(app);
        return pool != null ? pool : pools.computeIfAbsent(app, PoolMetrics::new);
    }

    /** A configured name as one metric-name segment: dots and odd characters become '_'. */
    static String segment(String name) {
        return name.replaceAll("[^A-Za-z0-9_-]", "_");
    }

    /** One pool's metrics, registered together when the pool is first forwarded to. */
    final class PoolMetrics {
        private final Timer requests;
        private final Meter retries;
        private final Map<FailureKind, Meter> errors = new EnumMap<>(FailureKind.class);

        private PoolMetrics(String app) {
            String prefix = "corral.pool." + segment(app) + ".";
            requests = RecorderReservoir.timer(registry, prefix + "requests");
            retries = registry.meter(prefix + "retries");
            for (FailureKind kind : FailureKind.values()) {
                errors.put(kind, registry.meter(prefix + "errors." + kind.metricName()));
            }
            registry.gauge(prefix + "inflight", () -> (Gauge<Integer>) () -> table.inFlight(app));
            registry.gauge(prefix + "queued", () -> (Gauge<Integer>) () -> bulkheads.figures(app).queued());
        }

        void request(long nanos) {
            requests.update(nanos, TimeUnit.NANOSECONDS);
        }

        void retried() {
            retries.mark();
        }

        void error(FailureKind kind) {
            errors.get(kind).mark();
        }

        long errors(FailureKind kind) {
            return errors.get(kind).getCount();
        }

        long retries() {
            return retries.getCount();
        }
    }
}
