package corral.proxy.metrics;

import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.Reservoir;
import com.codahale.metrics.Snapshot;
import com.codahale.metrics.Timer;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * A Dropwizard reservoir of latencies in nanoseconds, recorded into an HdrHistogram
 * {@link Recorder}: the request path is wait-free and allocates nothing (issue 12: Dropwizard's
 * default exponentially-decaying reservoir takes a lock and inserts a skip-list node per request).
 *
 * <p>Readers (a {@code bin/control metrics} call) fold what was recorded since the last read into
 * the current window; a window lasts {@link #WINDOW_NANOS}, and the previous one is kept, so a
 * snapshot covers the last 5 to 10 minutes of reads, as the decaying reservoir favoured roughly
 * the last 5 minutes. Precision: 2 significant digits (1 %), from 1 µs to 1 hour (longer: 1 hour).
 */
public final class RecorderReservoir implements Reservoir {
    static final long WINDOW_NANOS = TimeUnit.MINUTES.toNanos(5);
    private static final long LOWEST = TimeUnit.MICROSECONDS.toNanos(1);
    private static final long HIGHEST = TimeUnit.HOURS.toNanos(1);
    private static final int DIGITS = 2;
    /** Values a snapshot lists ({@link Snapshot#getValues}): evenly spaced quantiles, as many as Dropwizard's reservoirs keep. */
    private static final int SAMPLES = 1028;

    private final Recorder recorder = new Recorder(LOWEST, HIGHEST, DIGITS);
    private final LongSupplier clock;
    private Histogram interval;
    private Histogram current = histogram();
    private Histogram previous = histogram();
    private long windowStart;

    public RecorderReservoir() {
        this(System::nanoTime);
    }

    RecorderReservoir(LongSupplier clock) {
        this.clock = clock;
        this.windowStart = clock.getAsLong();
    }

    /** The timer {@code name} of {@code registry}, made on first use with this reservoir. */
    public static Timer timer(MetricRegistry registry, String name) {
        return registry.timer(name, () -> new Timer(new RecorderReservoir()));
    }

    private static Histogram histogram() {
        return new Histogram(LOWEST, HIGHEST, DIGITS);
    }

    @Override
    public int size() {
        return (int) Math.min(Integer.MAX_VALUE, window().getTotalCount());
    }

    @Override
    public void update(long nanos) {
        recorder.recordValue(Math.max(LOWEST, Math.min(HIGHEST, nanos)));
    }

    @Override
    public Snapshot getSnapshot() {
        return new HistogramSnapshot(window());
    }

    /** A copy of the last one or two windows, with everything recorded so far folded in. */
    private synchronized Histogram window() {
        long now = clock.getAsLong();
        if (now - windowStart >= WINDOW_NANOS) {
            Histogram old = previous;
            previous = current;
            current = old;
            current.reset();
            windowStart = now;
        }
        interval = recorder.getIntervalHistogram(interval);
        current.add(interval);
        Histogram both = current.copy();
        both.add(previous);
        return both;
    }

    /** Dropwizard's view of one histogram copy. */
    private static final class HistogramSnapshot extends Snapshot {
        private final Histogram h;

        HistogramSnapshot(Histogram h) {
            this.h = h;
        }

        @Override
        public double getValue(double quantile) {
            return h.getTotalCount() == 0 ? 0 : h.getValueAtPercentile(quantile * 100);
        }

        @Override
        public long[] getValues() {
            if (h.getTotalCount() == 0) {
                return new long[0];
            }
            long[] values = new long[SAMPLES];
            for (int i = 0; i < SAMPLES; i++) {
                values[i] = h.getValueAtPercentile(100.0 * (i + 1) / SAMPLES);
            }
            return values;
        }

        @Override
        public int size() {
            return (int) Math.min(Integer.MAX_VALUE, h.getTotalCount());
        }

        @Override
        public long getMax() {
            return h.getTotalCount() == 0 ? 0 : h.getMaxValue();
        }

        @Override
        public double getMean() {
            return h.getTotalCount() == 0 ? 0 : h.getMean();
        }

        @Override
        public long getMin() {
            return h.getTotalCount() == 0 ? 0 : h.getMinValue();
        }

        @Override
        public double getStdDev() {
            return h.getTotalCount() == 0 ? 0 : h.getStdDeviation();
        }

        @Override
        public void dump(OutputStream output) {
            try (PrintWriter out = new PrintWriter(new java.io.OutputStreamWriter(output, StandardCharsets.UTF_8))) {
                for (long v : getValues()) {
                    out.println(v);
                }
            }
        }
    }
}
