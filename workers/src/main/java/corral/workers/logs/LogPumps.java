package corral.workers.logs;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

/**
 * One thread that copies every worker stream of a daemon to its log file, instead of a blocking
 * reader thread per stream (two per instance: 48 threads for 24 instances, each with its stack).
 * A process's pipes cannot be selected in Java, so the thread polls: it looks at each stream
 * ({@link StreamPump#copyAvailable}) again at once while its worker writes flat out (a read found
 * its pipe half full), and otherwise after a quarter of the time that stream has been quiet, from
 * {@link #IDLE_MIN} to {@link #IDLE_MAX}: a worker that writes a line per request is read 100 times
 * a second, a few dozen lines a look (its pipe never fills up: that takes 64 KB in 10 ms), an idle
 * one 10 times a second, and one busy pool does not make the thread look at the idle pools'
 * streams more often. A worker that bursts more than its pipe holds (64 KB) after a long quiet
 * waits on it for at most {@link #IDLE_MAX}, after which the thread keeps up. {@link #wake} makes
 * the next round look at every stream at once, when a process exits: its last lines are copied
 * without waiting. The thread ends when it has no streams left and comes back with the next one,
 * so a daemon without instances has none.
 */
public final class LogPumps {

    /** The longest a quiet stream waits for its next look: a quiet worker's line reaches its file this late at most. */
    static final long IDLE_MAX = TimeUnit.MILLISECONDS.toNanos(100);
    /**
     * The soonest a stream that is not streaming flat out is looked at again. A look costs four
     * system calls whatever it copies (available()'s fstat and FIONREAD, the read, the write):
     * every 2 ms (with an fstat more per write then), ten busy workers logging a line per request
     * cost the daemon 2.8 us of CPU per proxied request, every 10 ms 1.1 us; a line reaches its
     * file at most 10 ms later, which no reader of a log sees.
     */
    static final long IDLE_MIN = TimeUnit.MILLISECONDS.toNanos(10);
    /** What one stream may copy per look: a chatty worker does not starve the others. */
    private static final int LOOK_BYTES = 64 * 1024;
    /** A read this big found a pipe half full (a pipe holds 64 KB): its worker is writing flat out. */
    private static final int STREAMING_BYTES = 32 * 1024;

    private final String threadName;
    private final Queue<StreamPump> added = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean lookAtAll = new AtomicBoolean();
    private Thread thread; // guarded by this; null while there is nothing to copy

    /** @param threadName the name of its thread ({@code log-pumps}), as thread dumps show it */
    public LogPumps(String threadName) {
        this.threadName = threadName;
    }

    /** Copies {@code pump}'s stream from now on until it ends; returns its {@link StreamPump#done()}. */
    public CompletableFuture<Void> add(StreamPump pump) {
        added.add(pump);
        synchronized (this) {
            if (thread == null) {
                thread = new Thread(this::run, threadName);
                thread.setDaemon(true);
                thread.start();
            } else {
                LockSupport.unpark(thread);
            }
        }
        return pump.done();
    }

    /** Makes the next round, now, look at every stream (a process has exited: its last lines are copied at once). */
    public void wake() {
        lookAtAll.set(true);
        Thread t;
        synchronized (this) {
            t = thread;
        }
        if (t != null) {
            LockSupport.unpark(t);
        }
    }

    /** A stream and when to look at it next. */
    private static final class Watched {
        final StreamPump pump;
        long lastCopied;
        long nextLook;

        Watched(StreamPump pump, long now) {
            this.pump = pump;
            this.lastCopied = now;
            this.nextLook = now;
        }

        /** Copies what is there; false once the stream has ended. */
        boolean look(byte[] buf, long now) {
            int n = pump.copyAvailable(buf);
            if (n > 0) {
                lastCopied = now;
            }
            nextLook = n >= STREAMING_BYTES ? now : now + Math.max(IDLE_MIN, Math.min(IDLE_MAX, (now - lastCopied) / 4));
            return n >= 0;
        }
    }

    private void run() {
        List<Watched> live = new ArrayList<>();
        byte[] buf = new byte[LOOK_BYTES];
        while (true) {
            long now = System.nanoTime();
            for (StreamPump p; (p = added.poll()) != null; ) {
                live.add(new Watched(p, now));
            }
            if (live.isEmpty() && stopWhenNothingAdded()) {
                return;
            }
            boolean all = lookAtAll.getAndSet(false);
            long wait = IDLE_MAX;
            for (Iterator<Watched> it = live.iterator(); it.hasNext(); ) {
                Watched w = it.next();
                if ((all || now - w.nextLook >= 0) && !w.look(buf, now)) {
                    it.remove();
                } else {
                    wait = Math.min(wait, w.nextLook - now);
                }
            }
            if (wait > 0) {
                LockSupport.parkNanos(this, wait);
            }
        }
    }

    /** Ends the thread unless a stream was added since the last look; {@link #add} starts another. */
    private synchronized boolean stopWhenNothingAdded() {
        if (added.isEmpty()) {
            thread = null;
            return true;
        }
        return false;
    }
}
