package corral.proxy.status;

import static org.junit.jupiter.api.Assertions.assertEquals;

import corral.proxy.limit.LimitCounts;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import org.junit.jupiter.api.Test;

/** The limits' counts as Prometheus reads them: by zone and result, and the requests waiting now. */
class LimitMetricsTest {

    @Test
    void eachZoneCountsWhatItDidByResult() {
        PrometheusRegistry registry = new PrometheusRegistry();
        LimitCounts counts = new LimitCounts();
        LimitMetrics.register(registry, counts);
        counts.record("one", LimitCounts.Result.REJECTED);
        counts.record("one", LimitCounts.Result.REJECTED);
        counts.record("conns", LimitCounts.Result.DELAYED_DRY_RUN);
        counts.waitBegins();
        MetricSnapshots scraped = registry.scrape();
        CounterSnapshot limited = (CounterSnapshot) scraped.stream()
                .filter(m -> m.getMetadata().getName().equals("corral_limited_requests")).findFirst().orElseThrow();
        assertEquals(2.0, value(limited, Labels.of("result", "rejected", "zone", "one")));
        assertEquals(1.0, value(limited, Labels.of("result", "delayed_dry_run", "zone", "conns")));
        assertEquals(0.0, value(limited, Labels.of("result", "delayed", "zone", "one")));
        GaugeSnapshot waiting = (GaugeSnapshot) scraped.stream()
                .filter(m -> m.getMetadata().getName().equals("corral_limit_delayed_now")).findFirst().orElseThrow();
        assertEquals(1.0, waiting.getDataPoints().get(0).getValue());
    }

    private static double value(CounterSnapshot s, Labels labels) {
        return s.getDataPoints().stream().filter(p -> p.getLabels().equals(labels)).findFirst().orElseThrow().getValue();
    }
}
