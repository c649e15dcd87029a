package corral.proxy.forward;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * One thread that checks every active {@link IdleWatchdog} a few times per timeout, instead of an
 * XNIO timer per attempt: {@code executeAfter} and {@code Key.remove} take the IO thread's timer
 * lock and allocate a tree entry per request (issue 12). Sleeps 250 ms, or an eighth of the
 * smallest registered timeout (at least 10 ms), so a watchdog fires within 1.25 timeouts.
 */
final class WatchdogSweeper {
    static final long MAX_PERIOD_NANOS = TimeUnit.MILLISECONDS.toNanos(250);
    static final long MIN_PERIOD_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

    /** The daemon's sweeper, started by the first watchdog. */
    static final WatchdogSweeper SHARED = new WatchdogSweeper("corral-read-timeouts");

    private final Set<IdleWatchdog> active = ConcurrentHashMap.newKeySet();
    private final String threadName;
    private volatile long periodNanos = MAX_PERIOD_NANOS;
    private Thread thread;

    /** {@code threadName} null: no thread, {@link #sweepOnce} is called by hand (tests). */
    WatchdogSweeper(String threadName) {
        this.threadName = threadName;
    }

    /** The sweep period for a timeout: an eighth of it, within [10 ms, 250 ms]. */
    static long periodFor(long timeoutNanos) {
        return Math.max(MIN_PERIOD_NANOS, Math.min(MAX_PERIOD_NANOS, timeoutNanos / 8));
    }

    void register(IdleWatchdog watchdog) {
        active.add(watchdog);
        Thread t = thread;
        if (t == null && threadName != null) {
            t = start();
        }
        long period = periodFor(watchdog.timeoutNanos());
        if (period < periodNanos) {
            // A shorter timeout than any so far: do not let it wait out a long sleep.
            periodNanos = period;
            if (t != null) {
                LockSupport.unpark(t);
            }
        }
    }

    void remove(IdleWatchdog watchdog) {
        active.remove(watchdog);
    }

    int size() {
        return active.size();
    }

    long periodNanos() {
        return periodNanos;
    }

    private synchronized Thread start() {
        if (thread == null) {
            Thread t = new Thread(this::loop, threadName);
            t.setDaemon(true);
            t.start();
            thread = t;
        }
        return thread;
    }

    private void loop() {
        while (true) {
            sweepOnce(System.nanoTime());
            LockSupport.parkNanos(this, periodNanos);
        }
    }

    /** One pass over the active watchdogs at {@code now}; sets the next sleep from their timeouts. */
    void sweepOnce(long now) {
        long period = MAX_PERIOD_NANOS;
        for (IdleWatchdog w : active) {
            try {
                w.sweep(now);
            } catch (RuntimeException e) {
                // An IO thread that refuses work is shutting down: its exchanges end with it.
                active.remove(w);
            }
            period = Math.min(period, periodFor(w.timeoutNanos()));
        }
        periodNanos = period;
    }
}
