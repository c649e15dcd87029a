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
        List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            // A client each, so that no request waits for another's connection on the client side.
            calls.add(HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build().sendAsync(
                    HttpRequest.newBuilder(proxy.uri("/slow?ms=600")).build(), HttpResponse.BodyHandlers.ofString()));
        }
        List<Integer> statuses = new ArrayList<>();
        for (CompletableFuture<HttpResponse<String>> call : calls) {
            HttpResponse<String> response = call.get(10, TimeUnit.SECONDS);
            statuses.add(response.statusCode());
            if (response.statusCode() == 503) {
                assertEquals("503 Service Unavailable: pool h5: every instance is at its connection limit\n",
                        response.body());
            }
        }
        assertTrue(statuses.stream().filter(s -> s == 200).count() <= 2, statuses.toString());
        assertTrue(statuses.stream().filter(s -> s == 503).count() >= 3, statuses.toString());
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
