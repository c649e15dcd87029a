package corral.proxy.forward;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The sweeper's logic by hand, on a fake clock: no thread, the "IO thread" is a queue run by the test. */
class WatchdogSweeperTest {
    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);

    private final WatchdogSweeper sweeper = new WatchdogSweeper(null);
    private final Queue<Runnable> ioThread = new ArrayDeque<>();
    private final AtomicLong progress = new AtomicLong();
    private final AtomicInteger silences = new AtomicInteger();

    private IdleWatchdog started(long timeoutMs) {
        IdleWatchdog w = new IdleWatchdog(ioThread::add, progress::get, Duration.ofMillis(timeoutMs),
                silences::incrementAndGet, sweeper);
        w.start();
        return w;
    }

    private void runIoThread() {
        for (Runnable r; (r = ioThread.poll()) != null; ) {
            r.run();
        }
    }

    @Test
    void periodIsAnEighthOfTheTimeoutWithinTenAndTwoHundredFiftyMs() {
        assertEquals(250 * MS, WatchdogSweeper.periodFor(60_000 * MS));
        assertEquals(100 * MS, WatchdogSweeper.periodFor(800 * MS));
        assertEquals(10 * MS, WatchdogSweeper.periodFor(20 * MS));
    }

    @Test
    void theSmallestRegisteredTimeoutSetsThePeriod() {
        started(800);
        assertEquals(100 * MS, sweeper.periodNanos());
        IdleWatchdog shortOne = started(160);
        assertEquals(20 * MS, sweeper.periodNanos());
        shortOne.stop();
        sweeper.sweepOnce(System.nanoTime());
        assertEquals(100 * MS, sweeper.periodNanos());
    }

    @Test
    void firesBetweenOneAndOneAndAQuarterTimeoutsAfterTheLastProgress() {
        long t0 = System.nanoTime();
        IdleWatchdog w = started(800);
        long period = sweeper.periodNanos();
        long lastProgress = t0 + 333 * MS; // between two sweeps
        long firedAt = -1;
        for (long now = t0 + period; now < t0 + 5_000 * MS && firedAt < 0; now += period) {
            if (now - period < lastProgress && lastProgress <= now) {
                progress.incrementAndGet();
            }
            sweeper.sweepOnce(now);
            runIoThread();
            if (silences.get() > 0) {
                firedAt = now;
            }
        }
        assertEquals(1, silences.get());
        long late = firedAt - lastProgress;
        assertTrue(late >= 800 * MS && late <= 1_000 * MS, "fired " + late / MS + " ms after the last progress");
        assertEquals(0, sweeper.size());
        sweeper.sweepOnce(firedAt + 10_000 * MS);
        runIoThread();
        assertEquals(1, silences.get());
        w.stop();
    }

    @Test
    void progressSeenOnTheIoThreadRearmsInsteadOfFiring() {
        long t0 = System.nanoTime();
        started(100);
        sweeper.sweepOnce(t0 + 150 * MS);
        assertEquals(1, ioThread.size());
        progress.addAndGet(10); // a read the sweeper did not see yet
        runIoThread();
        assertEquals(0, silences.get());
        assertEquals(1, sweeper.size());
        sweeper.sweepOnce(System.nanoTime() + 50 * MS); // re-armed from when the IO thread looked
        assertTrue(ioThread.isEmpty());
    }

    @Test
    void aStoppedWatchdogNeverFires() {
        long t0 = System.nanoTime();
        IdleWatchdog w = started(100);
        sweeper.sweepOnce(t0 + 150 * MS);
        w.stop(); // the attempt ended while the verdict was queued
        runIoThread();
        sweeper.sweepOnce(t0 + 1_000 * MS);
        runIoThread();
        assertEquals(0, silences.get());
        assertEquals(0, sweeper.size());
    }
}
