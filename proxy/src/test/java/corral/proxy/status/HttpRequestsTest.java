package corral.proxy.status;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/** Request counts per listener, app and status code: exact, bounded, and shared by every thread. */
class HttpRequestsTest {

    final PrometheusRegistry registry = new PrometheusRegistry();
    final HttpRequests requests = HttpRequests.register(registry);

    @Test
    void everyRequestIsCountedOnceUnderItsListenerAppAndCode() {
        HttpRequests.Listener h5Port = requests.listener(8198);
        HttpRequests.Listener vhost = requests.listener(8080);
        for (int i = 0; i < 7; i++) {
            h5Port.record("h5", 200, 2_000_000);
        }
        h5Port.record("h5", 502, 30_000_000);
        vhost.record("h5", 200, 4_000_000);
        vhost.record(null, 200, 100_000);
        vhost.record("nuomi", 999, 100_000);

        assertEquals(7, count("8198", "h5", "200"));
        assertEquals(1, count("8198", "h5", "502"));
        assertEquals(1, count("8080", "h5", "200"));
        assertEquals(1, count("8080", "", "200"), "answered by Corral itself: no app");
        assertEquals(1, count("8080", "nuomi", "other"), "codes out of 100..599 share one series");
        assertEquals(8, latencyCount("8198", "h5"));
    }

    @Test
    void aListenerOpenedAgainKeepsCountingTheSameSeries() {
        requests.listener(8198).record("h5", 200, 1_000_000);
        requests.listener(8198).record("h5", 200, 1_000_000);

        assertEquals(2, count("8198", "h5", "200"));
        assertEquals(1, histogram().getDataPoints().size());
        assertEquals(2, latencyCount("8198", "h5"));
    }

    @Test
    void eachRequestLandsInTheFirstBucketItFitsAndTheTextIsCumulative() throws Exception {
        HttpRequests.Listener listener = requests.listener(8198);
        listener.record("h5", 200, 1_000_000);        // 1 ms: exactly the first bound
        listener.record("h5", 200, 1_000_001);        // just over: the 2.5 ms bucket
        listener.record("h5", 200, 30_000_000_000L);  // 30 s: only +Inf

        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        io.prometheus.metrics.expositionformats.ExpositionFormats.init().getPrometheusTextFormatWriter()
                .write(out, registry.scrape());
        String text = out.toString(java.nio.charset.StandardCharsets.UTF_8);
        String series = "corral_http_request_duration_seconds_bucket{app=\"h5\",listener=\"8198\",le=";
        assertTrue(text.contains(series + "\"0.001\"} 1\n"), text);
        assertTrue(text.contains(series + "\"0.0025\"} 2\n"), text);
        assertTrue(text.contains(series + "\"10.0\"} 2\n"), text);
        assertTrue(text.contains(series + "\"+Inf\"} 3\n"), text);
        assertTrue(text.contains("corral_http_request_duration_seconds_count{app=\"h5\",listener=\"8198\"} 3\n"), text);
    }

    @Test
    void countsStayExactWhenManyThreadsRecordAtOnce() throws Exception {
        HttpRequests.Listener listener = requests.listener(8197);
        int threads = 4;
        int each = 20_000;
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> started = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread thread = new Thread(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < each; i++) {
                    listener.record(i % 2 == 0 ? "nuomi" : "h5", i % 3 == 0 ? 503 : 200, 1_000_000);
                }
            });
            thread.start();
            started.add(thread);
        }
        go.countDown();
        for (Thread t : started) {
            t.join();
        }

        long total = 0;
        for (String app : new String[] {"nuomi", "h5"}) {
            for (String code : new String[] {"200", "503"}) {
                total += count("8197", app, code);
            }
        }
        assertEquals((long) threads * each, total);
        assertEquals((long) threads * each, latencyCount("8197", "nuomi") + latencyCount("8197", "h5"));
    }

    @Test
    void latencyBucketsSpanOneMillisecondToTenSeconds() {
        requests.listener(1).record("h5", 200, 1_500_000_000L);
        HistogramSnapshot.HistogramDataPointSnapshot point = histogram().getDataPoints().get(0);

        assertEquals(0.001, point.getClassicBuckets().getUpperBound(0));
        assertEquals(10, point.getClassicBuckets().getUpperBound(point.getClassicBuckets().size() - 2));
        assertEquals(1.5, point.getSum(), 1e-9);
    }

    private long count(String listener, String app, String code) {
        CounterSnapshot counter = (CounterSnapshot) metric("corral_http_requests");
        Labels labels = Labels.of("listener", listener, "app", app, "code", code);
        return counter.getDataPoints().stream().filter(p -> p.getLabels().equals(labels))
                .mapToLong(p -> (long) p.getValue()).sum();
    }

    private long latencyCount(String listener, String app) {
        Labels labels = Labels.of("listener", listener, "app", app);
        return histogram().getDataPoints().stream().filter(p -> p.getLabels().equals(labels))
                .mapToLong(HistogramSnapshot.HistogramDataPointSnapshot::getCount).sum();
    }

    private HistogramSnapshot histogram() {
        return (HistogramSnapshot) metric("corral_http_request_duration_seconds");
    }

    private MetricSnapshot metric(String name) {
        return registry.scrape().stream().filter(m -> m.getMetadata().getName().equals(name)).findFirst().orElseThrow();
    }
}
