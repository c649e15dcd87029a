package corral.proxy.status;

import io.prometheus.metrics.model.registry.Collector;
import io.prometheus.metrics.model.registry.MetricType;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;

/**
 * {@code corral_http_request_duration_seconds}: a classic histogram whose series record into
 * striped adders (one per bucket, and the sum), read into the client library's snapshot when
 * Prometheus scrapes; the library's text and OpenMetrics writers print it.
 *
 * <p>Why not the library's own {@code Histogram}: in 1.10.0 its {@code observe} allocates a
 * lambda and an {@code AtomicBoolean} per call and bumps one shared {@code AtomicLong}, on the
 * path every proxied request takes; this records with no allocation and no shared hot word.
 * A scrape may see a request in its bucket a moment before its seconds are in the sum, never the
 * reverse of a count: {@code _count} is the buckets' total.
 */
final class LatencyHistogram implements Collector {

    private static final String NAME = "corral_http_request_duration_seconds";

    private final double[] bounds;
    private final ConcurrentHashMap<Labels, Series> series = new ConcurrentHashMap<>();

    /** {@code bounds}: the buckets' upper bounds in seconds, ascending, without +Inf. */
    LatencyHistogram(double[] bounds) {
        this.bounds = bounds.clone();
    }

    /** The series with {@code labels}, made on first use (series are never removed): look it up once and keep it. */
    Series series(Labels labels) {
        return series.computeIfAbsent(labels, Series::new);
    }

    @Override
    public HistogramSnapshot collect() {
        double[] upper = Arrays.copyOf(bounds, bounds.length + 1);
        upper[bounds.length] = Double.POSITIVE_INFINITY;
        HistogramSnapshot.Builder snapshot = HistogramSnapshot.builder().name(NAME)
                .help("Time from a request's first byte read to its response's last byte written");
        for (Series s : series.values()) {
            long[] counts = new long[upper.length];
            for (int i = 0; i < counts.length; i++) {
                counts[i] = s.counts[i].sum();
            }
            snapshot.dataPoint(HistogramSnapshot.HistogramDataPointSnapshot.builder()
                    .labels(s.labels)
                    .classicHistogramBuckets(ClassicHistogramBuckets.of(upper, counts))
                    .sum(s.sum.sum())
                    .build());
        }
        return snapshot.build();
    }

    @Override
    public String getPrometheusName() {
        return NAME;
    }

    @Override
    public MetricType getMetricType() {
        return MetricType.HISTOGRAM;
    }

    /** One labelled series: a count per bucket (the last one +Inf) and the sum of the seconds. */
    final class Series {
        private final Labels labels;
        private final LongAdder[] counts = new LongAdder[bounds.length + 1];
        private final DoubleAdder sum = new DoubleAdder();

        private Series(Labels labels) {
            this.labels = labels;
            Arrays.setAll(counts, i -> new LongAdder());
        }

        void observe(double seconds) {
            int at = Arrays.binarySearch(bounds, seconds);
            // An exact bound belongs to its own bucket (le is "less or equal"); else the first bound above.
            counts[at >= 0 ? at : -at - 1].increment();
            sum.add(seconds);
        }
    }
}
