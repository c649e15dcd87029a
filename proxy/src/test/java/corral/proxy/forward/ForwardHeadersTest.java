package corral.proxy.forward;

import static corral.proxy.forward.ProxyFixture.APP;
import static corral.proxy.forward.ProxyFixture.ready;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import corral.fixtures.AppProcess;
import corral.fixtures.RawHttp;
import corral.proxy.balance.LeastInFlight;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** What a real node worker sees of a forwarded request, and what the client sees of its answer. */
class ForwardHeadersTest {
    @RegisterExtension
    static final ClassWorkers workers = new ClassWorkers(1);
    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    ProxyFixture proxy;
    AppProcess worker;

    @BeforeEach
    void startProxy() {
        worker = workers.get(0);
        proxy = new ProxyFixture(UpstreamSettings.DEFAULTS, new LeastInFlight());
        proxy.publish(ready(0, worker));
    }

    @AfterEach
    void stopProxy() {
        proxy.close();
    }

    @Test
    void appendsTheClientToXForwardedForKeepsHostAndDropsHopByHopHeaders() throws Exception {
        RawHttp.Response response = RawHttp.send(proxy.port, request(
                "GET /inspect HTTP/1.1",
                "Host: shop.example.com:8197",
                "X-Forwarded-For: 203.0.113.9",
                "X-Forwarded-For: 198.51.100.2",
                "X-Forwarded-Proto: https",
                "Connection: keep-alive, X-Hop",
                "X-Hop: secret",
                "Keep-Alive: timeout=30",
                "TE: trailers",
                "Proxy-Connection: keep-alive",
                "X-Kept: yes"));

        assertEquals(200, response.status(), response.body());
        JsonNode seen = JSON.readTree(response.body()).get("headers");
        assertEquals("shop.example.com:8197", seen.path("host").asText());
        assertEquals("203.0.113.9, 198.51.100.2, 127.0.0.1", seen.path("x-forwarded-for").asText());
        assertEquals("http", seen.path("x-forwarded-proto").asText());
        assertEquals("shop.example.com:8197", seen.path("x-forwarded-host").asText());
        assertEquals("yes", seen.path("x-kept").asText());
        for (String hop : List.of("x-hop", "keep-alive", "te", "proxy-connection", "connection", "upgrade")) {
            assertFalse(seen.has(hop), hop + " reached the worker: " + seen);
        }
        // Node answers "Connection: keep-alive" and "Keep-Alive: timeout=5": its hop, not the client's.
        assertFalse(response.has("Keep-Alive"), "Keep-Alive passed to the client: " + response.headers());
        assertEquals(Long.toString(worker.pid()), response.header("X-Worker-Pid").orElseThrow());
    }

    @Test
    void appliesTheTargetsHeaderOperationsLast() throws Exception {
        proxy.route = exchange -> new ForwardTarget(APP, "/inspect", List.of(
                new HeaderOp("Host", "backend.internal"),
                new HeaderOp("X-Real-IP", "10.1.2.3"),
                new HeaderOp("Cookie", ""),
                new HeaderOp("X-Forwarded-Proto", "https")));

        RawHttp.Response response = RawHttp.send(proxy.port, request(
                "GET /anything HTTP/1.1", "Host: shop.example.com", "Cookie: session=abc", "Connection: close"));

        JsonNode seen = JSON.readTree(response.body()).get("headers");
        assertEquals("backend.internal", seen.path("host").asText());
        assertEquals("10.1.2.3", seen.path("x-real-ip").asText());
        assertEquals("https", seen.path("x-forwarded-proto").asText());
        assertEquals("shop.example.com", seen.path("x-forwarded-host").asText());
        assertFalse(seen.has("cookie"), seen.toString());
    }

    @Test
    void aVhostTargetAddsNoForwardedHeadersAsNginxAddsNoneUnlessTold() throws Exception {
        proxy.route = exchange -> new ForwardTarget(APP, "/inspect", List.of(
                new HeaderOp("Host", "backend"), new HeaderOp("X-Real-IP", "10.1.2.3")), null, false, NextUpstream.DEFAULT);

        RawHttp.Response response = RawHttp.send(proxy.port, request(
                "GET /anything HTTP/1.1", "Host: shop.example.com", "X-Forwarded-For: 203.0.113.9",
                "Connection: close"));

        JsonNode seen = JSON.readTree(response.body()).get("headers");
        assertEquals("backend", seen.path("host").asText());
        assertEquals("10.1.2.3", seen.path("x-real-ip").asText());
        // the client's own X-Forwarded-For passes as sent, as through nginx; nothing is added
        assertEquals("203.0.113.9", seen.path("x-forwarded-for").asText());
        for (String added : List.of("x-forwarded-proto", "x-forwarded-host", "x-forwarded-port",
                "x-forwarded-server")) {
            assertFalse(seen.has(added), added + " reached the worker: " + seen);
        }
    }

    @Test
    void sendsTheTargetUriExactlyAsGiven() throws Exception {
        proxy.route = exchange -> ForwardTarget.of(APP, "/inspect?q=a%20b&path=%2Fx%2Fy&empty=");

        HttpResponse<String> response = get("/some/other/path?z=1");

        assertEquals(200, response.statusCode());
        assertEquals("/inspect?q=a%20b&path=%2Fx%2Fy&empty=", JSON.readTree(response.body()).path("url").asText());
    }

    @Test
    void reusesKeepAliveConnectionsToTheInstance() throws Exception {
        for (int i = 0; i < 20; i++) {
            assertEquals(200, get("/inspect").statusCode());
        }
        // One client connection is served by one IO thread, which keeps one connection upstream.
        assertEquals(1, proxy.connections.openConnections(proxy.upstream(worker.pid())));
    }

    @Test
    void logsOneLinePerRequestAndCountsWithBoundedNames() throws Exception {
        HttpResponse<String> response = get("/inspect?x=1");
        assertEquals(200, response.statusCode());
        await("the access log line", () -> proxy.accessLog.size() == 1);

        AccessRecord line = proxy.accessLog.get(0);
        assertEquals("GET", line.method());
        assertEquals("/inspect?x=1", line.uri());
        assertEquals(APP, line.pool());
        assertEquals(0, line.instance());
        assertEquals(worker.pid(), line.pid());
        assertEquals(200, line.status());
        assertEquals(response.body().length(), line.bytes());
        assertEquals(1, line.tries());
        assertEquals("127.0.0.1", line.client());
        assertTrue(line.line().contains("\"GET /inspect?x=1\" 200 "), line.line());

        assertEquals(1, proxy.count("corral.pool.h5.requests"));
        assertEquals(0, proxy.count("corral.pool.h5.retries"));
        assertEquals(0, proxy.registry.getGauges().get("corral.pool.h5.inflight").getValue());
        assertTrue(proxy.registry.getNames().stream().allMatch(n -> n.matches(
                "corral\\.(pool\\.h5\\.(requests|retries|inflight|queued|errors\\.[a-z_]+)|listener\\.test\\.requests)")),
                proxy.registry.getNames().toString());
    }

    private HttpResponse<String> get(String pathAndQuery) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(proxy.uri(pathAndQuery)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static void await(String what, BooleanSupplier condition) {
        Awaitility.await(what).atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(5)).until(condition::getAsBoolean);
    }

    /** The request head of these lines, ended by the blank line. */
    private static String request(String... lines) {
        return String.join("\r\n", lines) + "\r\n\r\n";
    }
}
