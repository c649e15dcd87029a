package corral.proxy.forward;

import io.undertow.client.ClientConnection;
import io.undertow.client.ClientStatistics;
import io.undertow.server.HttpServerExchange;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.xnio.XnioExecutor;

/**
 * The read timeout of one attempt, as nginx's {@code proxy_read_timeout}: {@code onSilence} runs
 * once nothing has moved for the timeout, neither bytes from the instance, nor bytes of the
 * request body to it, nor bytes of the response to the client (a slow client is not the
 * instance's fault). Runs on the connection's IO thread; checks a few times per timeout, so it
 * fires between 1 and 1.25 timeouts after the last progress.
 *
 * <p>Undertow's own {@code Options.READ_TIMEOUT} is not used: {@code HttpClientConnection} wraps
 * the connection in a new timeout conduit on every request and an old conduit's timer can still
 * close the connection during a later request.
 */
final class IdleWatchdog implements Runnable {
    private static final long MIN_TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

    private final ClientConnection connection;
    private final HttpServerExchange exchange;
    private final long timeoutNanos;
    private final long tickNanos;
    private final Runnable onSilence;
    private long lastProgress;
    private long lastChangeNanos;
    private volatile XnioExecutor.Key key;
    private volatile boolean stopped;

    IdleWatchdog(ClientConnection connection, HttpServerExchange exchange, Duration timeout, Runnable onSilence) {
        this.connection = connection;
        this.onSilence = onSilence;
        this.exchange = exchange;
        this.timeoutNanos = timeout.toNanos();
        this.tickNanos = Math.max(timeoutNanos / 4, MIN_TICK_NANOS);
    }

    void start() {
        lastProgress = progress();
        lastChangeNanos = System.nanoTime();
        schedule(timeoutNanos);
    }

    void stop() {
        stopped = true;
        XnioExecutor.Key k = key;
        if (k != null) {
            k.remove();
        }
    }

    @Override
    public void run() {
        if (stopped) {
            return;
        }
        long now = System.nanoTime();
        long progress = progress();
        if (progress != lastProgress) {
            lastProgress = progress;
            lastChangeNanos = now;
        }
        long remaining = timeoutNanos - (now - lastChangeNanos);
        if (remaining <= 0) {
            onSilence.run();
            return;
        }
        schedule(remaining);
    }

    private void schedule(long remainingNanos) {
        long delay = Math.min(tickNanos, remainingNanos);
        key = connection.getIoThread().executeAfter(this, Math.max(1, TimeUnit.NANOSECONDS.toMillis(delay)),
                TimeUnit.MILLISECONDS);
    }

    private long progress() {
        ClientStatistics stats = connection.getStatistics();
        long upstream = stats == null ? 0 : stats.getRead() + stats.getWritten();
        return upstream + exchange.getResponseBytesSent();
    }
}
