package corral.proxy.balance;

import static corral.proxy.balance.Instances.instance;
import static corral.proxy.balance.Instances.ready;
import static corral.proxy.balance.Instances.view;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import corral.workers.process.InstanceView;
import corral.workers.process.WorkerState;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PoolTableTest {
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final MutableClock clock = new MutableClock();
    private final List<String> events = new ArrayList<>();
    private final PoolTable table = new PoolTable(app -> new LeastInFlight(), new RecordingListener(), timer, clock);

    @AfterEach
    void stopTimer() {
        timer.shutdownNow();
    }

    @Test
    void onlyReadyInstancesAreRoutable() {
        table.poolChanged(view("h5", ready("h5", 0, 1), instance("h5", 1, 2, WorkerState.STARTING),
                instance("h5", 2, 3, WorkerState.DRAINING), ready("h5", 3, 4)));

        List<Long> ids = table.snapshot("h5").routable().stream().map(Upstream::id).toList();
        assertEquals(List.of(1L, 4L), ids);
        assertEquals(List.of("added 1", "added 4"), events);
    }

    @Test
    void eachPoolHasItsOwnSnapshot() {
        table.poolChanged(view("h5", ready("h5", 0, 1)));
        table.poolChanged(view("nuomi", ready("nuomi", 0, 2), ready("nuomi", 1, 3)));

        assertEquals(1, table.snapshot("h5").routable().size());
        assertEquals(2, table.snapshot("nuomi").routable().size());
        assertTrue(table.snapshot("other").routable().isEmpty());
        assertNull(table.pick("other", List.of()));
    }

    @Test
    void aNewSnapshotReplacesTheOldOneWhileAssignedRequestsKeepTheirInstance() {
        table.poolChanged(view("h5", ready("h5", 0, 1)));
        PoolSnapshot before = table.snapshot("h5");
        Upstream.Lease lease = table.pick("h5", List.of());

        table.poolChanged(view("h5", instance("h5", 0, 1, WorkerState.DRAINING), ready("h5", 1, 2)));

        assertEquals(List.of(1L), before.routable().stream().map(Upstream::id).toList());
        assertEquals(List.of(2L), table.snapshot("h5").routable().stream().map(Upstream::id).toList());
        assertEquals(1, lease.upstream().inFlight());
        assertTrue(lease.upstream().retired());
        assertEquals(List.of("added 1", "added 2", "retired 1"), events);
    }

    @Test
    void pickSkipsInstancesAlreadyTried() {
        table.poolChanged(view("h5", ready("h5", 0, 1), ready("h5", 1, 2)));
        Upstream first = table.pick("h5", List.of()).upstream();
        Upstream second = table.pick("h5", List.of(first)).upstream();

        assertFalse(first == second);
        assertNull(table.pick("h5", List.of(first, second)));
    }

    @Test
    void aDownInstanceIsChosenOnlyWhenNoOtherIsLeft() {
        table.poolChanged(view("h5", ready("h5", 0, 1), ready("h5", 1, 2)));
        Upstream a = table.snapshot("h5").routable().get(0);
        Upstream b = table.snapshot("h5").routable().get(1);
        table.markDown(a, Duration.ofSeconds(10));

        for (int i = 0; i < 4; i++) {
            assertEquals(b, table.pick("h5", List.of()).upstream());
        }
        assertEquals(a, table.pick("h5", List.of(b)).upstream());

        clock.advance(Duration.ofSeconds(11));
        assertFalse(a.isDown(clock.millis()));
    }

    @Test
    void inFlightIsExactPerInstanceAndPerPool() {
        table.poolChanged(view("h5", ready("h5", 0, 1), ready("h5", 1, 2)));
        Upstream.Lease l1 = table.pick("h5", List.of());
        Upstream.Lease l2 = table.pick("h5", List.of());
        Upstream.Lease l3 = table.pick("h5", List.of());
        assertEquals(3, table.inFlight("h5"));

        l1.release();
        l1.release();
        assertEquals(2, table.inFlight("h5"));
        l2.release();
        l3.release();
        assertEquals(0, table.inFlight("h5"));
        assertEquals(List.of(0, 0), table.status("h5").stream().map(UpstreamStatus::inFlight).toList());
        assertEquals(3, table.status("h5").stream().mapToLong(UpstreamStatus::requests).sum());
    }

    @Test
    void awaitIdleCompletesAtOnceForAnIdleOrUnknownInstance() {
        InstanceView a = ready("h5", 0, 1);
        table.poolChanged(view("h5", a));

        assertTrue(table.awaitIdle(a, Duration.ofMinutes(1)).isDone());
        assertTrue(table.awaitIdle(ready("h5", 5, 99), Duration.ofMinutes(1)).isDone());
        assertTrue(table.awaitIdle(ready("nope", 0, 98), Duration.ofMinutes(1)).isDone());
    }

    @Test
    void awaitIdleCompletesWhenTheLastRequestEnds() {
        InstanceView a = ready("h5", 0, 1);
        table.poolChanged(view("h5", a));
        Upstream.Lease first = table.pick("h5", List.of());
        Upstream.Lease second = table.pick("h5", List.of());
        table.poolChanged(view("h5", instance("h5", 0, 1, WorkerState.DRAINING)));

        CompletableFuture<Void> idle = table.awaitIdle(a, Duration.ofMinutes(1));
        assertFalse(idle.isDone());
        first.release();
        assertFalse(idle.isDone());
        second.release();
        assertTrue(idle.isDone());
    }

    @Test
    void awaitIdleGivesUpAtMax() throws Exception {
        InstanceView a = ready("h5", 0, 1);
        table.poolChanged(view("h5", a));
        table.pick("h5", List.of());

        CompletableFuture<Void> idle = table.awaitIdle(a, Duration.ofMillis(50));
        idle.get(5, TimeUnit.SECONDS);
        assertEquals(1, table.inFlight("h5"));
    }

    @Test
    void awaitIdleStopsNewRequestsEvenBeforeTheViewSaysDraining() {
        InstanceView a = ready("h5", 0, 1);
        table.poolChanged(view("h5", a, ready("h5", 1, 2)));

        table.awaitIdle(a, Duration.ofMinutes(1));

        for (int i = 0; i < 4; i++) {
            assertEquals(2L, table.pick("h5", List.of()).upstream().id());
        }
        table.poolChanged(view("h5", a, ready("h5", 1, 2)));
        assertEquals(List.of(2L), table.snapshot("h5").routable().stream().map(Upstream::id).toList());
    }

    @Test
    void aRetiredInstanceNeverTakesARequestEvenIfChosenFromAnOldSnapshot() {
        table.poolChanged(view("h5", ready("h5", 0, 1)));
        Upstream a = table.snapshot("h5").routable().get(0);
        table.poolChanged(view("h5", instance("h5", 0, 1, WorkerState.DRAINING)));

        assertNull(a.acquire());
        assertEquals(0, a.inFlight());
        assertTrue(a.idle().isDone());
    }

    @Test
    void anInstanceWhoseProcessIsGoneIsRemoved() {
        table.poolChanged(view("h5", ready("h5", 0, 1)));
        table.poolChanged(view("h5", instance("h5", 0, 1, WorkerState.STOPPING)));
        assertEquals(1, table.status("h5").size());

        table.poolChanged(view("h5", instance("h5", 0, 0, WorkerState.EXITED)));

        assertTrue(table.status("h5").isEmpty());
        assertEquals(List.of("added 1", "retired 1", "removed 1"), events);
    }

    @Test
    void aReplacementIsANewUpstream() {
        table.poolChanged(view("h5", ready("h5", 0, 1)));
        table.poolChanged(view("h5", ready("h5", 0, 2)));

        assertEquals(List.of(2L), table.snapshot("h5").routable().stream().map(Upstream::id).toList());
        assertEquals(List.of("added 1", "added 2", "retired 1", "removed 1"), events);
    }

    private final class RecordingListener implements UpstreamListener {
        @Override
        public void added(Upstream upstream) {
            events.add("added " + upstream.id());
        }

        @Override
        public void retired(Upstream upstream) {
            events.add("retired " + upstream.id());
        }

        @Override
        public void removed(Upstream upstream) {
            events.add("removed " + upstream.id());
        }
    }

    /** A clock tests move by hand. */
    private static final class MutableClock extends Clock {
        private Instant now = Instant.parse("2026-11-24T10:00:00Z");

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
