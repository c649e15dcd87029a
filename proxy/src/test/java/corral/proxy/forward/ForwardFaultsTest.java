package corral.proxy.forward;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static corral.proxy.forward.ProxyFixture.instance;
import static corral.proxy.forward.ProxyFixture.ready;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.http.Fault;
import corral.fixtures.AppProcess;
import corral.fixtures.FreePorts;
import corral.proxy.balance.UpstreamStatus;
import corral.workers.process.WorkerState;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Instance 0 misbehaves (WireMock), instance 1 is a real node worker; attempts go in index order,
 * so each test knows which instance was tried first. Retries follow nginx's
 * {@code proxy_next_upstream error timeout}.
 */
class ForwardFaultsTest {
    @RegisterExtension
    static final ClassWorkers workers = new ClassWorkers(1);
    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    static final Duration READ_TIMEOUT = Duration.ofMillis(600);

    AppProcess worker;
    WireMockServer faulty;
    ProxyFixture proxy;

    @BeforeEach
    void start() {
        worker = workers.get(0);
        faulty = new WireMockServer(options().bindAddress("127.0.0.1").port(FreePorts.pick()));
        faulty.start();
        proxy = new ProxyFixture(UpstreamSettings.DEFAULTS.withReadTimeout(READ_TIMEOUT), new LowestIndexFirst());
    }

    @AfterEach
    void stop() {
        proxy.close();
        faulty.stop();
    }

    @Test
    void aGetResetByOneInstanceIsRetriedOnAnother() throws Exception {
        faultyAnswers(Fault.CONNECTION_RESET_BY_PEER);

        HttpResponse<String> response = send("GET", "/inspect");

        assertEquals(200, response.statusCode(), response.body());
        assertEquals(Long.toString(worker.pid()), response.headers().firstValue("X-Worker-Pid").orElseThrow());
        assertEquals(1, faulty.getAllServeEvents().size());
        proxy.awaitCount("corral.pool.h5.retries", 1);
        assertEquals(2, proxy.awaitAccessRecord(0).tries());
    }

    @Test
    void aPostResetAfterItWasSentIsNeverReplayed() throws Exception {
        faultyAnswers(Fault.CONNECTION_RESET_BY_PEER);
        String rid = "post-reset-" + System.nanoTime();

        HttpResponse<String> response = send("POST", "/echo", rid);

        assertEquals(502, response.statusCode());
        assertEquals("502 Bad Gateway: pool h5: the instance closed the connection without a response\n", response.body());
        assertEquals(1, faulty.getAllServeEvents().size());
        assertFalse(worker.stdout().contains(rid), "the POST was replayed on the worker");
        proxy.awaitCount("corral.pool.h5.errors.reset", 1);
        assertEquals(0, proxy.count("corral.pool.h5.retries"));
    }

    @Test
    void anEmptyResponseMakesAGetMoveOnAndAPostFail() throws Exception {
        faultyAnswers(Fault.EMPTY_RESPONSE);

        assertEquals(200, send("GET", "/inspect").statusCode());
        assertEquals(502, send("POST", "/echo").statusCode());
        assertEquals(2, faulty.getAllServeEvents().size());
    }

    @Test
    void anInvalidResponseMakesAGetMoveOnAndAPostFail() throws Exception {
        faultyAnswers(Fault.RANDOM_DATA_THEN_CLOSE);
        String rid = "invalid-" + System.nanoTime();

        assertEquals(200, send("GET", "/inspect").statusCode());
        HttpResponse<String> response = send("POST", "/echo", rid);

        assertEquals(502, response.statusCode());
        assertEquals("502 Bad Gateway: pool h5: the instance sent an invalid or incomplete response\n", response.body());
        assertFalse(worker.stdout().contains(rid));
        proxy.awaitCount("corral.pool.h5.errors.invalid", 1);
    }

    @Test
    void silenceLongerThanTheReadTimeoutIsA504() throws Exception {
        try (SilentUpstream silent = new SilentUpstream()) {
            proxy.publish(ready(0, 1, silent.port()));

            long t0 = System.nanoTime();
            HttpResponse<String> response = send("GET", "/slow");
            long ms = (System.nanoTime() - t0) / 1_000_000;

            // The instance never answers: only the proxy's read timeout can end the attempt (a proxy
            // without one leaves the client to its own 10 s timeout, and send throws). How soon
            // after the timeout the watchdog fires is WatchdogSweeperTest's, on a hand-driven clock.
            assertEquals(504, response.statusCode());
            assertEquals("504 Gateway Time-out: pool h5: no response within the read timeout\n", response.body());
            assertTrue(ms >= READ_TIMEOUT.toMillis(), "answered after " + ms + " ms, before the read timeout");
            proxy.awaitCount("corral.pool.h5.errors.timeout", 1);
        }
    }

    @Test
    void aTargetsOwnReadTimeoutReplacesThePools() throws Exception {
        // proxy_read_timeout of a location: 30 s here, where the pool's is 600 ms. The answer comes
        // 1.5 s after the request reached the instance, past the pool's timeout (which would have
        // cut it), and far within the location's even on a loaded machine.
        faulty.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200).withBody("late").withFixedDelay(1500)));
        proxy.publish(ready(0, 1, faulty.port()));
        proxy.route = exchange -> new ForwardTarget(ProxyFixture.APP, "/slow", List.of(), Duration.ofSeconds(30), false, NextUpstream.DEFAULT);

        HttpResponse<String> response = send("GET", "/slow");

        assertEquals(200, response.statusCode());
        assertEquals("late", response.body());
        try (SilentUpstream silent = new SilentUpstream()) {
            // ... and a shorter one cuts an instance that never answers (only a timeout can end it)
            proxy.publish(ready(0, 2, silent.port()));
            proxy.route = exchange -> new ForwardTarget(ProxyFixture.APP, "/slow", List.of(), Duration.ofMillis(200), false, NextUpstream.DEFAULT);
            long t0 = System.nanoTime();
            assertEquals(504, send("GET", "/slow").statusCode());
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertTrue(ms >= 200, "answered after " + ms + " ms");
        }
    }

    @Test
    void aResponseThatStallsMidBodyIsCutAfterTheReadTimeout() throws Exception {
        try (StallingUpstream stalling = new StallingUpstream()) {
            proxy.publish(ready(0, 1, stalling.port()));

            long t0 = System.nanoTime();
            HttpResponse<InputStream> response = HTTP.send(HttpRequest.newBuilder(proxy.uri("/stall")).build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            assertEquals(200, response.statusCode());
            try (InputStream body = response.body()) {
                // The instance never sends the rest: only the proxy can end this read, by cutting the
                // client once the instance was silent for a read timeout. The bound only turns a
                // client left hanging into a failure: 50 read timeouts, where the cut comes after one.
                assertTimeoutPreemptively(Duration.ofSeconds(30),
                        () -> assertThrows(IOException.class, body::readAllBytes), "the client was left hanging");
            }
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertTrue(ms >= READ_TIMEOUT.toMillis(), "cut after " + ms + " ms, before the read timeout");
            // As nginx, the instance's connection is closed too, not drained: Undertow's draining
            // close holds it up to 10 s. 5 s is far below that drain and far above an outright
            // close, which the instance sees as soon as its next write is answered with a reset.
            assertTrue(stalling.closedByProxyWithin(Duration.ofSeconds(5)),
                    "the instance's connection was still open (drained) 5 s after the cut");
        }
    }

    @Test
    void aGetThatTimesOutIsRetriedOnAnotherInstance() throws Exception {
        try (SilentUpstream silent = new SilentUpstream()) {
            proxy.publish(ready(0, 1, silent.port()), ready(1, worker));

            HttpResponse<String> response = send("GET", "/inspect");

            // instance 0 never answers: the worker's answer came from a retry after its read timeout
            assertEquals(200, response.statusCode());
            assertEquals(Long.toString(worker.pid()), response.headers().firstValue("X-Worker-Pid").orElseThrow());
            assertEquals(2, proxy.awaitAccessRecord(0).tries());
        }
    }

    @Test
    void aPostThatTimesOutIsA504AndIsNotReplayed() throws Exception {
        try (SilentUpstream silent = new SilentUpstream()) {
            proxy.publish(ready(0, 1, silent.port()), ready(1, worker));
            String rid = "post-timeout-" + System.nanoTime();

            assertEquals(504, send("POST", "/echo", rid).statusCode());
            assertFalse(worker.stdout().contains(rid));
        }
    }

    @Test
    void noReadyInstanceIsA503NamingThePool() throws Exception {
        proxy.publish(instance(0, 7, 0, faulty.port(), WorkerState.STARTING));

        HttpResponse<String> response = send("GET", "/inspect");

        assertEquals(503, response.statusCode());
        assertEquals("503 Service Unavailable: pool h5: no ready instance\n", response.body());
        proxy.awaitCount("corral.pool.h5.errors.no_instance", 1);
    }

    @Test
    void aPoolNobodyPublishedIsA503NamingIt() throws Exception {
        proxy.route = exchange -> ForwardTarget.of("nuomi", "/inspect");

        HttpResponse<String> response = send("GET", "/inspect");

        assertEquals(503, response.statusCode());
        assertEquals("503 Service Unavailable: pool nuomi: no ready instance\n", response.body());
    }

    @Test
    void aRefusedConnectionSendsEveryRequestToTheOtherInstanceEvenAPost() throws Exception {
        int closedPort = FreePorts.pick();
        proxy.publish(ready(0, 1, closedPort), ready(1, worker));

        for (int i = 0; i < 4; i++) {
            assertEquals(200, send("GET", "/inspect").statusCode());
            assertEquals(200, send("POST", "/echo").statusCode());
        }

        UpstreamStatus refused = proxy.table.status(ProxyFixture.APP).get(0);
        assertTrue(refused.down(), refused.toString());
        // Marked down after the first refusal: later requests go straight to the live instance.
        assertEquals(1, refused.requests());
        assertEquals(0, proxy.count("corral.pool.h5.errors.connect"));
    }

    @Test
    void whenNoInstanceAcceptsAConnectionTheAnswerIs502() throws Exception {
        proxy.publish(ready(0, 1, FreePorts.pick()), ready(1, 2, FreePorts.pick()));

        HttpResponse<String> response = send("GET", "/inspect");

        assertEquals(502, response.statusCode());
        assertEquals("502 Bad Gateway: pool h5: no instance answered\n", response.body());
        proxy.awaitCount("corral.pool.h5.errors.connect", 1);
        proxy.awaitCount("corral.pool.h5.retries", 1);
    }

    private void faultyAnswers(Fault fault) {
        faulty.stubFor(any(anyUrl()).willReturn(aResponse().withFault(fault)));
        proxy.publish(ready(0, 1, faulty.port()), ready(1, worker));
    }

    private HttpResponse<String> send(String method, String path) throws Exception {
        return send(method, path, "rid-" + System.nanoTime());
    }

    private HttpResponse<String> send(String method, String path, String requestId) throws Exception {
        HttpRequest.BodyPublisher body = method.equals("POST")
                ? HttpRequest.BodyPublishers.ofString("hello") : HttpRequest.BodyPublishers.noBody();
        return HTTP.send(HttpRequest.newBuilder(proxy.uri(path)).timeout(Duration.ofSeconds(10))
                .header("X-Request-Id", requestId).method(method, body).build(), HttpResponse.BodyHandlers.ofString());
    }
}
