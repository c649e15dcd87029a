package corral.workers.logs;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * One thread that copies every worker stream of a daemon to its log file, instead of a blocking
 * reader thread per stream (two per instance: 48 threads for 24 instances, each with its stack).
 * A process's pipes cannot be selected in Java, so the thread polls: each round it copies what
 * every stream holds ({@link StreamPump#copyAvailable}), goes round again at once while a worker
 * writes flat out (a read found its pipe half full), and otherwise sleeps a quarter of the time all
 * have been quiet (from 2 ms to {@link #IDLE_MAX}). A worker that bursts more than its pipe holds
 * (64 KB) after a long quiet waits on it for at most one sleep, after which the thread keeps up. {@link #wake} cuts a sleep short, when a process exits: its last
 * lines are then copied at once. The thread ends when it has no streams left and comes back with
 * the next one, so a daemon without instances has none.
 */
public final class LogPumps {

    /** The longest sleep between two rounds while no stream has anything: a quiet worker's line is this late at most. */
    static final long IDLE_MAX = TimeUnit.MILLISECONDS.toNanos(100);
    private static final long IDLE_MIN = TimeUnit.MILLISECONDS.toNanos(2);
    /** What one stream may copy per round: a chatty worker does not starve the others. */
    private static final int ROUND_BYTES = 64 * 1024;
    /** A read this big found a pipe half full (a pipe holds 64 KB): its worker is writing flat out. */
    private static final int STREAMING_BYTES = 32 * 1024;

    private final String threadName;
    private final Queue<StreamPump> added = new ConcurrentLinkedQueue<>();
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

    /** Starts the next round now (a process has exited: its last lines are copied without waiting). */
    public void wake() {
        Thread t;
        synchronized (this) {
            t = thread;
        }
        if (t != null) {
            LockSupport.unpark(t);
        }
    }

    private void run() {
        List<StreamPump> live = new ArrayList<>();
        byte[] buf = new byte[ROUND_BYTES];
        long lastCopied = System.nanoTime();
        while (true) {
            for (StreamPump p; (p = added.poll()) != null; ) {
                live.add(p);
            }
            if (live.isEmpty() && stopWhenNothingAdded()) {
                return;
            }
            boolean copied = false;
            boolean streaming = false;
            for (Iterator<StreamPump> it = live.iterator(); it.hasNext(); ) {
                int n = it.next().copyAvailable(buf);
                if (n < 0) {
                    it.remove();
                } else if (n > 0) {
                    copied = true;
                    streaming |= n >= STREAMING_BYTES;
                }
            }
            long now = System.nanoTime();
            if (copied) {
                lastCopied = now;
            }
            if (!streaming) {
                // A quarter of the time the streams have been quiet: a worker that writes a line per
                // request is read every IDLE_MIN (its pipe never fills up), an idle daemon looks 10
                // times a second. Going round again at once after small reads would spin the thread
                // while many workers each write a little.
                LockSupport.parkNanos(this, Math.max(IDLE_MIN, Math.min(IDLE_MAX, (now - lastCopied) / 4)));
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
