package corral.proxy.forward;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import corral.fixtures.AppProcess;
import corral.fixtures.CorralHome;
import corral.fixtures.LoadGenerator;
import corral.fixtures.LoadResult;
import corral.proxy.balance.LeastInFlight;
import corral.workers.pool.PoolView;
import corral.workers.process.InstanceView;
import corral.workers.process.WorkerState;
import io.undertow.server.HttpServerExchange;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Each pool's bulkhead in the proxy, with real node workers: pool nuomi (whose requests are made
 * to hang, or are held by the test: {@link HeldUpload}) has small limits; pool h5 has the
 * defaults. Past nuomi's limits its requests are refused with 503 at once and counted, a queued
 * request goes on when a slot frees or gives up after the read timeout, and h5 is served
 * throughout as if nuomi were not there. Each test waits for events (a slot held, freed, a
 * request queued or answered), never for a time: the machine may be loaded.
 */
class BulkheadTest {
    @RegisterExtension
    static final CorralHome HOME = new CorralHome();
    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    /** Where a {@link HeldUpload} goes: nuomi's echo, which answers once the whole body is in. */
    static final String HELD = "/nuomi/echo";

    static Workers nuomiWorkers;
    static Workers h5Workers;
    ProxyFixture proxy;

    @BeforeAll
    static void startWorkers() throws Exception {
        nuomiWorkers = Workers.start(HOME, 2, Map.of("APP_NAME", "nuomi"));
        h5Workers = Workers.start(HOME, 2, Map.of());
    }

    @AfterAll
    static void stopWorkers() {
        nuomiWorkers.close();
        h5Workers.close();
    }

    @AfterEach
    void closeProxy() {
        if (proxy != null) {
            proxy.close();
        }
    }

    /** A proxy routing /nuomi/... to pool nuomi (with {@code nuomi}'s settings) and the rest to h5. */
    void proxy(UpstreamSettings nuomi) {
        proxy = new ProxyFixture(app -> app.equals("nuomi") ? nuomi : UpstreamSettings.DEFAULTS, new LeastInFlight(),
                1 << 20);
        proxy.route = exchange -> {
            String uri = ProxyFixture.receivedUri(exchange);
            return ForwardTarget.of(uri.startsWith("/nuomi/") ? "nuomi" : ProxyFixture.APP, uri);
        };
        proxy.publish(ProxyFixture.ready(0, h5Workers.get(0)), ProxyFixture.ready(1, h5Workers.get(1)));
        List<InstanceView> instances = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            AppProcess w = nuomiWorkers.get(i);
            instances.add(new InstanceView("nuomi", i, w.pid(), w.pid(), 0, w.port(), WorkerState.READY, Instant.now(), 0, 0));
        }
        proxy.table.poolChanged(new PoolView("nuomi", 2, instances));
    }

    CompletableFuture<HttpResponse<String>> send(String path) {
        return HTTP.sendAsync(HttpRequest.newBuilder(proxy.uri(path)).timeout(Duration.ofSeconds(60)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    LoadResult h5Load(Duration duration) throws InterruptedException {
        return LoadGenerator.builder()
                .get(proxy.uri("/h5/page/x").toString())
                .concurrency(4)
                .requests(1_000_000)
                .duration(duration)
                .timeout(Duration.ofSeconds(10))
                .check(LoadGenerator.is2xxFromWorker())
                .build()
                .run();
    }

    @Test
    void aPoolWhoseEveryRequestHangsIsRefusedAtOncePastItsLimitsWhileTheOtherPoolIsServedAsBefore() throws Exception {
        proxy(UpstreamSettings.DEFAULTS.withBulkhead(4, 2));

        List<CompletableFuture<HttpResponse<String>>> held = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            held.add(send("/nuomi/hang"));
        }
        awaitFigures("nuomi", new BulkheadFigures(4, 2));
        CompletableFuture<LoadResult> h5 = CompletableFuture.supplyAsync(() -> {
            try {
                return h5Load(Duration.ofSeconds(3));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        for (int i = 0; i < 20; i++) {
            HttpResponse<String> refused = send("/nuomi/component/x").get(30, TimeUnit.SECONDS);
            assertEquals(503, refused.statusCode());
            assertEquals("503 Service Unavailable: pool nuomi: over its limits of requests in flight and queued\n",
                    refused.body());
            // Refused at once, not after waiting: while the held requests still hold every slot and
            // the whole queue (they hang until the end), and without having been queued (a queued
            // request would end as a queue timeout, counted apart).
            assertTrue(held.stream().noneMatch(CompletableFuture::isDone), "the held requests still hang");
            assertEquals(new BulkheadFigures(4, 2), proxy.bulkhead("nuomi"), "nuomi's slots and queue unchanged");
            assertEquals(0, proxy.bulkhead(ProxyFixture.APP).queued(), "an h5 request waits for a slot");
        }
        LoadResult during = h5.get(30, TimeUnit.SECONDS);

        proxy.awaitCount("corral.pool.nuomi.errors.bulkhead", 20);
        assertEquals(0, proxy.count("corral.pool.nuomi.errors.queue_timeout"), "no refused request was queued");
        // h5 as if nuomi were not there: every request of 3 s of load answered by a worker while all
        // of nuomi's slots and queue hang (a bulkhead shared between pools refuses h5 too; one that
        // blocks a thread while queued stalls h5 past the load's 10 s timeout), none of h5's ever
        // waiting for a slot. How fast h5 is then is bench/'s to measure, not a test's.
        assertEquals(0, during.failed(), during.summary());
        assertTrue(during.ok() > 20, during.summary());
        assertTrue(held.stream().noneMatch(CompletableFuture::isDone), "the held requests still hang");
        assertEquals(0, proxy.count("corral.pool.h5.errors.bulkhead") + proxy.count("corral.pool.h5.errors.queue_timeout"));
        assertEquals(new BulkheadFigures(0, 0), proxy.bulkhead(ProxyFixture.APP));
        assertEquals(new BulkheadFigures(4, 2), proxy.bulkhead("nuomi"), "nuomi still holds its share");
        held.forEach(f -> f.cancel(true));
    }

    @Test
    void aQueuedRequestGoesOnAsSoonAsASlotFrees() throws Exception {
        proxy(UpstreamSettings.DEFAULTS.withBulkhead(1, 1));

        try (HeldUpload holder = new HeldUpload(proxy.port, HELD)) {
            awaitFigures("nuomi", new BulkheadFigures(1, 0));
            CompletableFuture<HttpResponse<String>> queued = send("/nuomi/component/q");
            awaitFigures("nuomi", new BulkheadFigures(1, 1));
            // It waits for the holder's slot, which nothing frees before the holder's body ends.
            assertFalse(queued.isDone(), "answered while the only slot is held");

            assertEquals(200, holder.finish().status());
            // It goes on once the slot frees: a queued request the freed slot did not wake would end
            // at the pool's read timeout (60 s) as a 503, long after this 30 s wait.
            HttpResponse<String> response = queued.get(30, TimeUnit.SECONDS);
            assertEquals(200, response.statusCode(), response.body());
        }
        awaitFigures("nuomi", new BulkheadFigures(0, 0));
        assertEquals(0, proxy.count("corral.pool.nuomi.errors.queue_timeout"));
    }

    @Test
    void aQueuedRequestWaitsAtMostTheReadTimeoutThenIsRefused() throws Exception {
        proxy(UpstreamSettings.DEFAULTS.withBulkhead(1, 1).withReadTimeout(Duration.ofMillis(500)));
        // The holder's own read timeout (a location's proxy_read_timeout) is long: its slot stays
        // taken until the test ends its body, whatever the machine's load, so only the queue's
        // timer can end the queued request's wait. (Holding with the pool's 500 ms raced: the
        // holder's timeout freed the slot about when the queued one's ran out.)
        Function<HttpServerExchange, ForwardTarget> route = proxy.route;
        proxy.route = exchange -> ProxyFixture.receivedUri(exchange).equals(HELD)
                ? new ForwardTarget("nuomi", HELD, List.of(), Duration.ofSeconds(60), false, NextUpstream.DEFAULT)
                : route.apply(exchange);

        try (HeldUpload holder = new HeldUpload(proxy.port, HELD)) {
            awaitFigures("nuomi", new BulkheadFigures(1, 0));
            long begun = System.nanoTime();
            HttpResponse<String> queued = send("/nuomi/component/q").get(30, TimeUnit.SECONDS);
            long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begun);

            assertEquals(503, queued.statusCode());
            assertEquals("503 Service Unavailable: pool nuomi: no free slot within the read timeout\n", queued.body());
            // Measured from before the send, so never shorter than the wait in the queue.
            assertTrue(waited >= 450, "refused before the read timeout: " + waited + " ms");
            // Refused while the slot was still held: its own timer ended the wait, not a freed slot.
            assertEquals(new BulkheadFigures(1, 0), proxy.bulkhead("nuomi"), "the holder still holds its slot");
            proxy.awaitCount("corral.pool.nuomi.errors.queue_timeout", 1);
            assertEquals(200, holder.finish().status(), "the holder is served as before");
        }
        awaitFigures("nuomi", new BulkheadFigures(0, 0));
    }

    void awaitFigures(String app, BulkheadFigures expected) {
        Awaitility.await(app + "'s bulkhead").atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(10))
                .untilAsserted(() -> assertEquals(expected, proxy.bulkhead(app), app + "'s bulkhead"));
    }
}
