package corral.proxy.status;

import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Labels;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * {@code corral_http_requests_total{listener,app,code}} and
 * {@code corral_http_request_duration_seconds{listener,app}}: every request a traffic listener
 * completed, by the pool it went to ({@code app=""} when Corral answered it itself: the health
 * probe, a rule's {@code return}, a refusal before routing) and the status it got.
 *
 * <p>This runs once per request, so a series is made the first time its labels are seen and
 * found again through plain lookups (a concurrent map by app, an array by status code): no lock,
 * no label array, no allocation on the path. Labels stay bounded: listener ports, configured app
 * names, status codes 100..599 ({@code code="other"} for anything else).
 */
public final class HttpRequests {

    /** Seconds; from 1 ms (a cached answer) to 10 s (a page that times out), roughly ×2.5 apart. */
    static final double[] BUCKETS = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
    private static final int CODES = 600;

    private final Counter requests;
    private final LatencyHistogram duration;

    private HttpRequests(Counter requests, LatencyHistogram duration) {
        this.requests = requests;
        this.duration = duration;
    }

    /** Registers both metrics on {@code registry}. */
    public static HttpRequests register(PrometheusRegistry registry) {
        Counter requests = (Counter) Counter.builder()
                .name("corral_http_requests_total")
                .help("Requests completed by a traffic listener, by pool (empty: answered by Corral) and status code")
                .labelNames("listener", "app", "code")
                .withoutExemplars()
                .register(registry);
        LatencyHistogram duration = new LatencyHistogram(BUCKETS);
        registry.register(duration);
        return new HttpRequests(requests, duration);
    }

    /** The recorder of one listener, named by its port. */
    public Listener listener(int port) {
        return new Listener(Integer.toString(port));
    }

    /** One listener's series, by app. */
    public final class Listener {
        private final String name;
        private final ConcurrentHashMap<String, AppSeries> byApp = new ConcurrentHashMap<>();

        private Listener(String name) {
            this.name = name;
        }

        /**
         * Counts one completed request of pool {@code app} (null: none) that got {@code status},
         * {@code nanos} after it began.
         */
        public void record(String app, int status, long nanos) {
            String key = app == null ? "" : app;
            AppSeries series = byApp.get(key);
            if (series == null) {
                series = byApp.computeIfAbsent(key, AppSeries::new);
            }
            series.record(status, nanos);
        }

        /** The series of one (listener, app): the duration, and a counter per status code made on first use. */
        private final class AppSeries {
            private final String app;
            private final LatencyHistogram.Series latency;
            private final AtomicReferenceArray<CounterDataPoint> byCode = new AtomicReferenceArray<>(CODES);

            AppSeries(String app) {
                this.app = app;
                this.latency = duration.series(Labels.of("listener", name, "app", app));
            }

            void record(int status, long nanos) {
                int code = status >= 100 && status < CODES ? status : 0;
                CounterDataPoint counter = byCode.get(code);
                if (counter == null) {
                    // labelValues answers the same point for the same labels, so a race only looks it up twice.
                    counter = requests.labelValues(name, app, code == 0 ? "other" : Integer.toString(code));
                    byCode.set(code, counter);
                }
                counter.inc();
                latency.observe(nanos / 1e9);
            }
        }
    }
}
