package corral.proxy.admin;

import com.codahale.metrics.Gauge;
import com.codahale.metrics.Histogram;
import com.codahale.metrics.Meter;
import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.Snapshot;
import com.codahale.metrics.Timer;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/** The daemon's metrics as a JSON-ready tree for {@code bin/control metrics}: name to figures. */
public final class MetricsJson {

    private MetricsJson() {
    }

    public static Map<String, Object> of(MetricRegistry registry) {
        Map<String, Object> out = new TreeMap<>();
        registry.getGauges().forEach((name, g) -> out.put(name, Map.of("value", String.valueOf(value(g)))));
        registry.getCounters().forEach((name, c) -> out.put(name, Map.of("count", c.getCount())));
        registry.getMeters().forEach((name, m) -> out.put(name, meter(m)));
        registry.getHistograms().forEach((name, h) -> out.put(name, histogram(h)));
        registry.getTimers().forEach((name, t) -> out.put(name, timer(t)));
        return out;
    }

    private static Object value(Gauge<?> g) {
        try {
            return g.getValue();
        } catch (RuntimeException e) {
            return "error: " + e.getMessage();
        }
    }

    private static Map<String, Object> meter(Meter m) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("count", m.getCount());
        f.put("rate1m", round(m.getOneMinuteRate()));
        return f;
    }

    private static Map<String, Object> histogram(Histogram h) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("count", h.getCount());
        Snapshot s = h.getSnapshot();
        f.put("p50", s.getMedian());
        f.put("p99", s.get99thPercentile());
        f.put("max", s.getMax());
        return f;
    }

    private static Map<String, Object> timer(Timer t) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("count", t.getCount());
        f.put("rate1m", round(t.getOneMinuteRate()));
        Snapshot s = t.getSnapshot();
        f.put("p50ms", ms(s.getMedian()));
        f.put("p99ms", ms(s.get99thPercentile()));
        f.put("maxms", ms(s.getMax()));
        return f;
    }

    private static double ms(double nanos) {
        return round(nanos / TimeUnit.MILLISECONDS.toNanos(1));
    }

    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }
}
