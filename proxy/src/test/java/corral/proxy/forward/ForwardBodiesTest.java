package corral.proxy.forward;

import static corral.proxy.forward.ProxyFixture.ready;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import corral.fixtures.CorralHome;
import corral.proxy.balance.LeastInFlight;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Bodies are streamed through the proxy both ways, never held whole. */
class ForwardBodiesTest {
    @RegisterExtension
    static final CorralHome HOME = new CorralHome();
    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    static final long FIFTY_MB = 50L * 1024 * 1024;

    @Test
    void aFiftyMegabyteUploadReachesTheWorkerIntactWithoutBeingBuffered() throws Exception {
        try (Workers workers = Workers.start(HOME, 1, Map.of());
             ProxyFixture proxy = new ProxyFixture(UpstreamSettings.DEFAULTS, new LeastInFlight())) {
            proxy.publish(ready(0, workers.get(0)));
            AtomicReference<GeneratedBody> body = new AtomicReference<>();
            HttpRequest request = HttpRequest.newBuilder(proxy.uri("/echo"))
                    .timeout(Duration.ofSeconds(60))
                    .POST(HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(() -> {
                        body.set(new GeneratedBody(FIFTY_MB));
                        return body.get();
                    }), FIFTY_MB))
                    .build();

            long allocatedBefore = ioThreadAllocations();
            HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            long allocated = ioThreadAllocations() - allocatedBefore;

            assertEquals(200, response.statusCode(), response.body());
            JsonNode echo = JSON.readTree(response.body());
            assertEquals(FIFTY_MB, echo.path("bytes").asLong());
            assertEquals(body.get().sha256Hex(), echo.path("sha256").asText());
            // The proxy moves bytes through pooled direct buffers: its IO threads allocate a small
            // fraction of the body on the heap, where buffering it would take all 50 MB.
            assertTrue(allocated < 8L * 1024 * 1024, "proxy IO threads allocated " + allocated + " bytes");
        }
    }

    @Test
    void aChunkedUploadOfUnknownLengthPassesToo() throws Exception {
        try (Workers workers = Workers.start(HOME, 1, Map.of());
             ProxyFixture proxy = new ProxyFixture(UpstreamSettings.DEFAULTS, new LeastInFlight())) {
            proxy.publish(ready(0, workers.get(0)));
            GeneratedBody body = new GeneratedBody(3L * 1024 * 1024 + 17);
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(proxy.uri("/echo"))
                    .POST(HttpRequest.BodyPublishers.ofInputStream(() -> body)).build(),
                    HttpResponse.BodyHandlers.ofString());

            assertEquals(200, response.statusCode(), response.body());
            assertEquals(body.sha256Hex(), JSON.readTree(response.body()).path("sha256").asText());
        }
    }

    @Test
    void anUploadThatExpectsContinueIsForwarded() throws Exception {
        try (Workers workers = Workers.start(HOME, 1, Map.of());
             ProxyFixture proxy = new ProxyFixture(UpstreamSettings.DEFAULTS, new LeastInFlight())) {
            proxy.publish(ready(0, workers.get(0)));
            GeneratedBody body = new GeneratedBody(256 * 1024);
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(proxy.uri("/echo")).expectContinue(true)
                    .POST(HttpRequest.BodyPublishers.ofInputStream(() -> body)).build(),
                    HttpResponse.BodyHandlers.ofString());

            assertEquals(200, response.statusCode(), response.body());
            assertEquals(body.sha256Hex(), JSON.readTree(response.body()).path("sha256").asText());
        }
    }

    @Test
    void aBodyOverTheListenersLimitIsRefusedWith413BeforeReachingAnInstance() throws Exception {
        try (Workers workers = Workers.start(HOME, 1, Map.of());
             ProxyFixture proxy = new ProxyFixture(UpstreamSettings.DEFAULTS, new LeastInFlight(), 1024 * 1024)) {
            proxy.publish(ready(0, workers.get(0)));

            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(proxy.uri("/echo"))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[2 * 1024 * 1024])).build(),
                    HttpResponse.BodyHandlers.ofString());

            assertEquals(413, response.statusCode());
            assertEquals("413 Request Entity Too Large: pool h5: request body over the listener's size limit\n",
                    response.body());
            assertTrue(!workers.get(0).stdout().contains("/echo"), workers.get(0).stdout());
            proxy.awaitCount("corral.pool.h5.errors.too_large", 1);
        }
    }

    @Test
    void aSlowChunkedResponseReachesTheClientAsItIsProduced() throws Exception {
        try (StallingUpstream slow = new StallingUpstream();
             ProxyFixture proxy = new ProxyFixture(UpstreamSettings.DEFAULTS, new LeastInFlight())) {
            proxy.publish(ready(0, 1, slow.port()));

            HttpResponse<InputStream> response = HTTP.send(HttpRequest.newBuilder(proxy.uri("/dribble")).build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream in = response.body()) {
                assertEquals(200, response.statusCode());
                // The instance holds the rest of its body until the client has read the first bytes:
                // a proxy that waited for the whole body would never pass them on.
                String first = new String(in.readNBytes(StallingUpstream.FIRST.length()), StandardCharsets.UTF_8);
                assertEquals(StallingUpstream.FIRST, first);
                slow.finish();
                assertEquals(StallingUpstream.REST, new String(in.readAllBytes(), StandardCharsets.UTF_8));
            }
        }
    }

    /** Bytes allocated so far by Undertow's XNIO IO threads (named "XNIO-n I/O-m"). */
    private static long ioThreadAllocations() {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long total = 0;
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().contains(" I/O-")) {
                total += threads.getThreadAllocatedBytes(t.getId());
            }
        }
        return total;
    }
}
