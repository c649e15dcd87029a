package corral.proxy.forward;

import static corral.proxy.forward.ProxyFixture.draining;
import static corral.proxy.forward.ProxyFixture.ready;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import corral.fixtures.AppProcess;
import corral.fixtures.RawHttp;
import corral.proxy.balance.LeastInFlight;
import corral.proxy.balance.Upstream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Where requests go among two real node workers: least in flight, and never to a draining one. */
class ForwardBalanceTest {
    @RegisterExtension
    static final ClassWorkers workers = new ClassWorkers(2);
    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    AppProcess a;
    AppProcess b;
    ProxyFixture proxy;

    @BeforeEach
    void startProxy() {
        a = workers.get(0);
        b = workers.get(1);
        proxy = new ProxyFixture(UpstreamSettings.DEFAULTS, new LeastInFlight());
    }

    @AfterEach
    void stopProxy() {
        proxy.close();
    }

    @Test
    void aNewRequestGoesToTheIdleInstanceWhileTheOtherIsBusy() throws Exception {
        proxy.publish(ready(0, a), ready(1, b));
        // Busy until the test ends the held request's body, however long the six requests take
        // (a /slow request's own clock could end it under them on a loaded machine).
        try (HeldUpload held = new HeldUpload(proxy.port, "/echo")) {
            await("the held request to be in flight", () -> proxy.table.inFlight(ProxyFixture.APP) == 1);
            long busy = proxy.table.snapshot(ProxyFixture.APP).routable().stream()
                    .filter(u -> u.inFlight() == 1).findFirst().orElseThrow().pid();
            long idle = busy == a.pid() ? b.pid() : a.pid();

            for (int i = 0; i < 6; i++) {
                assertEquals(Long.toString(idle), workerPid(send("/inspect")));
            }
            RawHttp.Response response = held.finish();
            assertEquals(200, response.status(), response.toString());
            assertEquals(Optional.of(Long.toString(busy)), response.header("X-Worker-Pid"));
        }
    }

    @Test
    void withNothingInFlightRequestsAlternate() throws Exception {
        proxy.publish(ready(0, a), ready(1, b));
        String first = workerPid(send("/inspect"));
        String second = workerPid(send("/inspect"));
        String third = workerPid(send("/inspect"));

        assertFalse(first.equals(second));
        assertEquals(first, third);
    }

    @Test
    void aDrainingInstanceFinishesItsRequestGetsNoNewOneAndIsIdleRightAfter() throws Exception {
        proxy.publish(ready(0, a));
        try (HeldUpload held = new HeldUpload(proxy.port, "/echo")) {
            Upstream upstreamA = proxy.upstream(a.pid());
            await("the held request to be in flight on A", () -> upstreamA.inFlight() == 1);

            // What the supervisor does to retire A: publish it DRAINING (B is ready), then wait for
            // it. The wait's own limit is far past this test's waits, so only A's last request
            // ending can complete it (the supervisor's is 20 s).
            proxy.publish(draining(0, a), ready(1, b));
            CompletableFuture<Void> idle = proxy.table.awaitIdle(draining(0, a), Duration.ofMinutes(10));

            for (int i = 0; i < 5; i++) {
                assertEquals(Long.toString(b.pid()), workerPid(send("/inspect")));
            }
            // The held request is in flight on A until the test ends its body, however long the
            // requests to B took.
            assertFalse(idle.isDone(), "idle while the held request is still in flight");

            RawHttp.Response response = held.finish();
            assertEquals(200, response.status(), response.toString());
            assertEquals(Optional.of(Long.toString(a.pid())), response.header("X-Worker-Pid"), "A finished its request");
            // Idle on the event of its last request ending, not on the wait's limit (10 min).
            idle.get(30, TimeUnit.SECONDS);
            assertEquals(0, upstreamA.inFlight());
            assertEquals(1, upstreamA.requests());
        }
    }

    @Test
    void requestsBeyondTheConnectionLimitOfEveryInstanceAre503Busy() throws Exception {
        proxy.close();
        // One connection per IO thread and instance: with 2 IO threads, at most 2 requests at once.
        proxy = new ProxyFixture(UpstreamSettings.DEFAULTS.withConnectionsPerThread(1), new LeastInFlight());
        proxy.publish(ready(0, a));
        // Five requests the test holds in flight (a connection each, spread over the IO threads):
        // those that reach the instance stay there until the test ends their bodies, so the limit
        // is full for as long as the test looks, whatever the machine's load (a /slow request ends
        // on its own clock, and a late client could find its connection free again).
        List<HeldUpload> uploads = new ArrayList<>();
        try {
            for (int i = 0; i < 5; i++) {
                uploads.add(new HeldUpload(proxy.port, "/echo"));
            }
            // At most one per IO thread reaches the instance: the others are answered 503 at once,
            // without their bodies, while the held ones still hang. A limit not kept leaves fewer
            // than three answers, and this wait fails. (The refused exchanges end, and are counted,
            // only once their bodies are in or their connections gone.)
            await("at least three requests refused", () -> uploads.stream().filter(HeldUpload::answered).count() >= 3);
            List<Integer> statuses = new ArrayList<>();
            for (HeldUpload upload : uploads) {
                // A held one is served once its body ends (or refused then, if it was the last to
                // be decided).
                RawHttp.Response response = upload.answered() ? upload.answer() : upload.finish();
                statuses.add(response.status());
                if (response.status() == 503) {
                    assertEquals("503 Service Unavailable: pool h5: every instance is at its connection limit\n",
                            response.body());
                }
                upload.close();
            }
            long served = statuses.stream().filter(s -> s == 200).count();
            assertTrue(served >= 1 && served <= 2, "one or two served (a connection per IO thread): " + statuses);
            assertEquals(5 - served, statuses.stream().filter(s -> s == 503).count(), statuses.toString());
            proxy.awaitCount("corral.pool.h5.errors.busy", 5 - served);
        } finally {
            for (HeldUpload upload : uploads) {
                upload.close();
            }
        }
    }

    @Test
    void aClientThatGivesUpStillReleasesItsInstance() throws Exception {
        proxy.publish(ready(0, a));
        HttpRequest request = HttpRequest.newBuilder(proxy.uri("/slow?ms=400")).timeout(Duration.ofMillis(100)).build();

        CompletableFuture<HttpResponse<String>> abandoned = HTTP.sendAsync(request, HttpResponse.BodyHandlers.ofString());
        assertTrue(abandoned.handle((r, e) -> e != null).get(5, TimeUnit.SECONDS), "the client should have timed out");

        await("the instance to have nothing in flight", () -> proxy.table.inFlight(ProxyFixture.APP) == 0);
    }

    private HttpResponse<String> send(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(proxy.uri(path)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String workerPid(HttpResponse<String> response) {
        assertEquals(200, response.statusCode(), response.body());
        return response.headers().firstValue("X-Worker-Pid").orElseThrow();
    }

    static void await(String what, BooleanSupplier condition) {
        Awaitility.await(what).atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(5)).until(condition::getAsBoolean);
    }
}
