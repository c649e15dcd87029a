package corral.proxy.forward;

import corral.workers.config.ProxyLimits;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * How the proxy talks to the instances of one pool, and how much of the proxy the pool may hold.
 *
 * @param readTimeout          longest silence of an instance while a request is in flight: no
 *                             response header yet, or no body byte (nginx {@code proxy_read_timeout},
 *                             default 60 s); answered 504 when nothing was sent to the client yet
 * @param idleTimeout          an idle keep-alive connection to an instance is closed after this,
 *                             which must be shorter than the worker's own keep-alive timeout so
 *                             that no request is ever written into a connection the worker is
 *                             closing; default 4 s, under Node's {@code keepAliveTimeout} of 5 s
 *                             (Node 20 even waits one second more before it closes)
 * @param connectionsPerThread most connections per instance per IO thread; a request that finds
 *                             them all busy goes to another instance (default 256: in practice
 *                             unlimited, as nginx's {@code max_conns=0})
 * @param failTimeout          after a connect failure the instance is chosen only when no other
 *                             is left, for this long (nginx {@code max_fails=1 fail_timeout=10s})
 * @param maxInFlight          the pool's bulkhead: most of its requests forwarded at once
 *                             (default {@link ProxyLimits#DEFAULTS}); a request past it waits
 * @param maxQueued            most of its requests waiting for a slot, each at most the read
 *                             timeout; past both limits the pool answers 503 at once
 */
public record UpstreamSettings(Duration readTimeout, Duration idleTimeout, int connectionsPerThread,
                               Duration failTimeout, int maxInFlight, int maxQueued) {

    /** The defaults described above. */
    public static final UpstreamSettings DEFAULTS =
            new UpstreamSettings(Duration.ofSeconds(60), Duration.ofSeconds(4), 256, Duration.ofSeconds(10));

    /** Settings with the default bulkhead. */
    public UpstreamSettings(Duration readTimeout, Duration idleTimeout, int connectionsPerThread, Duration failTimeout) {
        this(readTimeout, idleTimeout, connectionsPerThread, failTimeout, ProxyLimits.DEFAULTS.maxInFlight(),
                ProxyLimits.DEFAULTS.maxQueued());
    }

    public UpstreamSettings {
        List<String> problems = new ArrayList<>();
        if (readTimeout == null || readTimeout.toMillis() < 1) {
            problems.add("readTimeout must be at least 1 ms, was " + readTimeout);
        }
        if (idleTimeout == null || idleTimeout.toMillis() < 1) {
            problems.add("idleTimeout must be at least 1 ms, was " + idleTimeout);
        }
        if (connectionsPerThread < 1) {
            problems.add("connectionsPerThread must be at least 1, was " + connectionsPerThread);
        }
        if (failTimeout == null || failTimeout.isNegative()) {
            problems.add("failTimeout must not be negative, was " + failTimeout);
        }
        if (maxInFlight < 1) {
            problems.add("maxInFlight must be at least 1, was " + maxInFlight);
        }
        if (maxQueued < 0) {
            problems.add("maxQueued must not be negative, was " + maxQueued);
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("invalid upstream settings: " + String.join("; ", problems));
        }
    }

    /** These settings with a pool's own read timeout and bulkhead, as its app configures them. */
    public UpstreamSettings with(ProxyLimits limits) {
        return new UpstreamSettings(limits.readTimeout(), idleTimeout, connectionsPerThread, failTimeout,
                limits.maxInFlight(), limits.maxQueued());
    }

    public UpstreamSettings withReadTimeout(Duration timeout) {
        return new UpstreamSettings(timeout, idleTimeout, connectionsPerThread, failTimeout, maxInFlight, maxQueued);
    }

    public UpstreamSettings withIdleTimeout(Duration timeout) {
        return new UpstreamSettings(readTimeout, timeout, connectionsPerThread, failTimeout, maxInFlight, maxQueued);
    }

    public UpstreamSettings withConnectionsPerThread(int connections) {
        return new UpstreamSettings(readTimeout, idleTimeout, connections, failTimeout, maxInFlight, maxQueued);
    }

    public UpstreamSettings withFailTimeout(Duration timeout) {
        return new UpstreamSettings(readTimeout, idleTimeout, connectionsPerThread, timeout, maxInFlight, maxQueued);
    }

    public UpstreamSettings withBulkhead(int inFlight, int queued) {
        return new UpstreamSettings(readTimeout, idleTimeout, connectionsPerThread, failTimeout, inFlight, queued);
    }
}
