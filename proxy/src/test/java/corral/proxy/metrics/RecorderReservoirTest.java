package corral.proxy.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.Snapshot;
import com.codahale.metrics.Timer;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RecorderReservoirTest {

    @Test
    void percentilesOfWhatWasRecordedWithinOnePercent() {
        RecorderReservoir reservoir = new RecorderReservoir();
        for (long ms = 1; ms <= 100; ms++) {
            reservoir.update(TimeUnit.MILLISECONDS.toNanos(ms));
        }
        Snapshot s = reservoir.getSnapshot();
        assertEquals(100, s.size());
        assertEquals(50e6, s.getMedian(), 50e6 * 0.01);
        assertEquals(99e6, s.get99thPercentile(), 99e6 * 0.01);
        assertEquals(100e6, s.getMax(), 100e6 * 0.01);
        assertEquals(1e6, s.getMin(), 1e6 * 0.01);
        assertEquals(1028, s.getValues().length);
    }

    @Test
    void anEmptyReservoirAnswersZeros() {
        Snapshot s = new RecorderReservoir().getSnapshot();
        assertEquals(0, s.size());
        assertEquals(0, s.get99thPercentile());
        assertEquals(0, s.getMax());
        assertEquals(0, s.getValues().length);
    }

    @Test
    void outOfRangeValuesAreClampedNotThrown() {
        RecorderReservoir reservoir = new RecorderReservoir();
        reservoir.update(-5);
        reservoir.update(TimeUnit.DAYS.toNanos(2));
        Snapshot s = reservoir.getSnapshot();
        assertEquals(2, s.size());
        assertEquals(TimeUnit.HOURS.toNanos(1), s.getMax(), TimeUnit.HOURS.toNanos(1) * 0.01);
    }

    @Test
    void aSnapshotCoversTheCurrentAndThePreviousWindowOnly() {
        AtomicLong now = new AtomicLong(0);
        RecorderReservoir reservoir = new RecorderReservoir(now::get);
        reservoir.update(TimeUnit.SECONDS.toNanos(9));
        assertEquals(1, reservoir.size());
        now.addAndGet(RecorderReservoir.WINDOW_NANOS);
        reservoir.update(TimeUnit.MILLISECONDS.toNanos(2));
        assertEquals(2, reservoir.size(), "the previous window is kept");
        now.addAndGet(RecorderReservoir.WINDOW_NANOS);
        Snapshot s = reservoir.getSnapshot();
        assertEquals(1, s.size(), "the window before it is gone");
        assertEquals(2e6, s.getMax(), 2e6 * 0.01);
    }

    @Test
    void theTimerCountsAndRatesAsADropwizardTimer() {
        MetricRegistry registry = new MetricRegistry();
        Timer timer = RecorderReservoir.timer(registry, "t");
        timer.update(3, TimeUnit.MILLISECONDS);
        assertEquals(1, registry.getTimers().get("t").getCount());
        assertEquals(timer, RecorderReservoir.timer(registry, "t"));
        assertEquals(3e6, timer.getSnapshot().getMedian(), 3e6 * 0.01);
    }
}
