package corral.proxy.listen;

import corral.proxy.accesslog.StubStatus;
import io.undertow.server.ExchangeCompletionListener;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.ServerConnection;
import io.undertow.util.AttachmentKey;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * The figures of {@code stub_status} for the vhost ports: connections seen, requests, requests in
 * progress. A connection is counted at its first request (Undertow reads the head before any
 * handler runs, so "Reading" is always 0 and a connection that never sends a request is not
 * seen); "Waiting" is the open connections with no request in progress. Counted only while the
 * rules have an {@code access_log} or a {@code stub_status} ({@link corral.proxy.rules.Router#logsOrCounts}).
 */
final class StubCounters {

    private static final AttachmentKey<Boolean> SEEN = AttachmentKey.create(Boolean.class);

    private final LongAdder accepted = new LongAdder();
    private final LongAdder closed = new LongAdder();
    private final LongAdder requests = new LongAdder();
    private final LongAdder finished = new LongAdder();
    private final ExchangeCompletionListener done = (exchange, next) -> {
        finished.increment();
        next.proceed();
    };

    /** Counts the request, and its connection if it is the connection's first. */
    void count(HttpServerExchange exchange) {
        ServerConnection connection = exchange.getConnection();
        if (connection.getAttachment(SEEN) == null) {
            connection.putAttachment(SEEN, Boolean.TRUE);
            accepted.increment();
            // Once per connection, whatever runs its close listeners: behind the bounded listener
            // (whose close listener wraps Undertow's) "Active connections" read 0 with one open.
            AtomicBoolean counted = new AtomicBoolean();
            connection.addCloseListener(c -> {
                if (counted.compareAndSet(false, true)) {
                    closed.increment();
                }
            });
        }
        requests.increment();
        exchange.addExchangeCompleteListener(done);
    }

    /** The page's figures now. */
    StubStatus now() {
        long active = Math.max(0, accepted.sum() - closed.sum());
        long writing = Math.max(0, requests.sum() - finished.sum());
        return new StubStatus(active, accepted.sum(), accepted.sum(), requests.sum(), 0, writing,
                Math.max(0, active - writing));
    }
}
