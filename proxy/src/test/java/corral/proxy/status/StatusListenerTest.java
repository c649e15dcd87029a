package corral.proxy.status;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import corral.fixtures.FreePorts;
import corral.fixtures.TestHttp;
import corral.proxy.forward.FailureKind;
import corral.workers.pool.PoolView;
import corral.workers.process.InstanceView;
import corral.workers.process.WorkerState;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.xnio.OptionMap;
import org.xnio.Xnio;
import org.xnio.XnioWorker;

/** The status listener on its own: read-only, three paths, and a taken port named. */
class StatusListenerTest {

    static final HttpClient HTTP = TestHttp.client();

    final ReloadHistory reloads = new ReloadHistory();
    final PrometheusRegistry registry = new PrometheusRegistry();
    XnioWorker worker;
    StatusListener listener;
    int port;

    /** One pool of two instances, one of them being replaced (the same index twice). */
    final Fleet fleet = new Fleet() {
        final PoolView pool = new PoolView("h5", 2, List.of(
                instance(0, 10, 1000, WorkerState.READY, 3, 50L << 20),
                instance(1, 11, 1001, WorkerState.DRAINING, 1, 40L << 20),
                instance(1, 12, 1002, WorkerState.STARTING, 0, 10L << 20)));

        @Override
        public boolean online() {
            return true;
        }

        @Override
        public List<PoolView> pools() {
            return List.of(pool);
        }

        @Override
        public List<PoolView> measuredPools() {
            return pools();
        }

        @Override
        public int inFlight(String app) {
            return 4;
        }

        @Override
        public long failures(String app, FailureKind kind) {
            return kind.ordinal();
        }

        @Override
        public long retries(String app) {
            return 2;
        }

        @Override
        public ReloadHistory reloads() {
            return reloads;
        }

        @Override
        public Object status() {
            return Map.of("apps", List.of(Map.of("name", "h5")));
        }
    };

    static InstanceView instance(int index, long id, long pid, WorkerState state, int restarts, long rss) {
        return new InstanceView("h5", index, id, pid, 0, 40000 + (int) id, state, Instant.EPOCH, restarts, rss);
    }

    @BeforeEach
    void open() throws IOException {
        worker = Xnio.getInstance().createWorker(OptionMap.EMPTY);
        FleetMetrics.register(registry, fleet);
        port = FreePorts.pick();
        listener = StatusListener.open(worker, new StatusAddress("127.0.0.1", port), registry, fleet);
    }

    @AfterEach
    void close() {
        listener.close();
        worker.shutdownNow();
    }

    HttpResponse<String> send(String method, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void servesThePageTheTreeAndTheMetricsAndNothingElse() throws Exception {
        assertTrue(send("GET", "/").body().contains("<title>Corral status</title>"));
        assertEquals("{\"apps\":[{\"name\":\"h5\"}]}", send("GET", "/status.json").body());
        assertEquals(404, send("GET", "/v1/reload").statusCode());
        assertEquals(405, send("POST", "/").statusCode());
        assertEquals(405, send("DELETE", "/metrics").statusCode());
        HttpResponse<String> head = send("HEAD", "/metrics");
        assertEquals(200, head.statusCode());
        assertEquals("", head.body());
    }

    @Test
    void metricsReadThePoolsWithBoundedLabels() throws Exception {
        reloads.record("h5", Instant.now(), 1200, true, "h5 reloaded");
        reloads.record("h5", Instant.now(), 300, false, "stopped");
        reloads.record(ReloadHistory.CONFIG, Instant.now(), 20, false, "invalid");

        String text = send("GET", "/metrics").body();

        assertTrue(text.contains("corral_instances{app=\"h5\",state=\"ready\"} 1.0\n"), text);
        assertTrue(text.contains("corral_instances{app=\"h5\",state=\"draining\"} 1.0\n"), text);
        assertTrue(text.contains("corral_instances{app=\"h5\",state=\"errored\"} 0.0\n"), "every state, zeros too");
        assertTrue(text.contains("corral_instance_restarts_total{app=\"h5\"} 4.0\n"), "per slot, not per process");
        assertTrue(text.contains("corral_instance_memory_bytes{app=\"h5\",instance=\"1\"} " + (double) (50L << 20) + "\n"),
                "a slot being replaced: both its processes");
        assertTrue(text.contains("corral_upstream_in_flight{app=\"h5\"} 4.0\n"), text);
        assertTrue(text.contains("corral_upstream_failures_total{app=\"h5\",kind=\"reset\"} "
                + (double) FailureKind.RESET.ordinal() + "\n"), text);
        assertTrue(text.contains("corral_bulkhead_rejected_total{app=\"h5\"} " + (double) FailureKind.BULKHEAD.ordinal()), text);
        assertTrue(text.contains("corral_reloads_total{app=\"h5\",result=\"ok\"} 1.0\n"), text);
        assertTrue(text.contains("corral_reloads_total{app=\"h5\",result=\"failed\"} 1.0\n"), text);
        assertTrue(text.contains("corral_config_reloads_total{result=\"failed\"} 1.0\n"), text);
        assertTrue(!text.contains("pid="), "no per-pid label");
    }

    @Test
    void aTakenPortIsAnErrorNamingItsHolder() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            IOException e = assertThrows(IOException.class, () -> StatusListener.open(worker,
                    new StatusAddress("127.0.0.1", taken.getLocalPort()), registry, fleet));
            assertTrue(e.getMessage().contains("port " + taken.getLocalPort() + " is already in use by pid "
                    + ProcessHandle.current().pid()), e.getMessage());
        }
    }
}
