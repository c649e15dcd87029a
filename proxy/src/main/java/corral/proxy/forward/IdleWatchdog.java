package corral.proxy.forward;

import io.undertow.client.ClientConnection;
import io.undertow.client.ClientStatistics;
import io.undertow.server.HttpServerExchange;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.function.LongSupplier;

/**
 * The read timeout of one attempt, as nginx's {@code proxy_read_timeout}: {@code onSilence} runs
 * once nothing has moved for the timeout, neither bytes from the instance, nor bytes of the
 * request body to it, nor bytes of the response to the client (a slow client is not the
 * instance's fault). {@link WatchdogSweeper} samples the progress every eighth of the timeout (at
 * most 250 ms apart), so it fires between 1 and 1.25 timeouts after the last progress (plus the
 * IO thread's queue delay for the final check).
 *
 * <p>The sweeper reads the counters from its own thread, which may see them late: it only ever
 * suspects silence. The verdict is given on the connection's IO thread, which owns the counters:
 * any progress there re-arms the timeout; {@code onSilence} runs there too.
 *
 * <p>Undertow's own {@code Options.READ_TIMEOUT} is not used: {@code HttpClientConnection} wraps
 * the connection in a new timeout conduit on every request and an old conduit's timer can still
 * close the connection during a later request. Nor is an XNIO timer per attempt (issue 12: its
 * lock and allocations on every request).
 */
final class IdleWatchdog implements Runnable {
    private final Executor ioThread;
    private final LongSupplier progress;
    private final long timeoutNanos;
    private final Runnable onSilence;
    private final WatchdogSweeper sweeper;
    private volatile long lastProgress;
    private volatile long lastChangeNanos;
    private volatile boolean judging;
    private volatile boolean stopped;

    IdleWatchdog(Executor ioThread, LongSupplier progress, Duration timeout, Runnable onSilence, WatchdogSweeper sweeper) {
        this.ioThread = ioThread;
        this.progress = progress;
        this.timeoutNanos = timeout.toNanos();
        this.onSilence = onSilence;
        this.sweeper = sweeper;
    }

    /** The watchdog of an attempt on {@code connection} for {@code exchange}, on the daemon's sweeper. */
    static IdleWatchdog of(ClientConnection connection, HttpServerExchange exchange, Duration timeout, Runnable onSilence) {
        return new IdleWatchdog(connection.getIoThread(), () -> {
            ClientStatistics stats = connection.getStatistics();
            long upstream = stats == null ? 0 : stats.getRead() + stats.getWritten();
            return upstream + exchange.getResponseBytesSent();
        }, timeout, onSilence, WatchdogSweeper.SHARED);
    }

    long timeoutNanos() {
        return timeoutNanos;
    }

    void start() {
        lastProgress = progress.getAsLong();
        lastChangeNanos = System.nanoTime();
        sweeper.register(this);
    }

    void stop() {
        stopped = true;
        sweeper.remove(this);
    }

    /** On the sweeper's thread: note progress, or hand a suspected silence to the IO thread. */
    void sweep(long now) {
        if (stopped || judging) {
            return;
        }
        long p = progress.getAsLong();
        if (p != lastProgress) {
            lastProgress = p;
            lastChangeNanos = now;
        } else if (now - lastChangeNanos >= timeoutNanos) {
            judging = true;
            ioThread.execute(this);
        }
    }

    /** On the IO thread: the verdict on a suspected silence. */
    @Override
    public void run() {
        if (stopped) {
            return;
        }
        long p = progress.getAsLong();
        if (p != lastProgress) {
            lastProgress = p;
            lastChangeNanos = System.nanoTime();
            judging = false;
            return;
        }
        stop();
        onSilence.run();
    }
}
