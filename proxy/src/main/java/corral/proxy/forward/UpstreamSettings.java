package corral.proxy.forward;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * How the proxy talks to the instances of one pool.
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
 */
public record UpstreamSettings(Duration readTimeout, Duration idleTimeout, int connectionsPerThread,
                               Duration failTimeout) {

    /** The defaults described above. */
    public static final UpstreamSettings DEFAULTS =
            new UpstreamSettings(Duration.ofSeconds(60), Duration.ofSeconds(4), 256, Duration.ofSeconds(10));

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
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("invalid upstream settings: " + String.join("; ", problems));
        }
    }

    public UpstreamSettings withReadTimeout(Duration timeout) {
        return new UpstreamSettings(timeout, idleTimeout, connectionsPerThread, failTimeout);
    }

    public UpstreamSettings withIdleTimeout(Duration timeout) {
        return new UpstreamSettings(readTimeout, timeout, connectionsPerThread, failTimeout);
    }

    public UpstreamSettings withConnectionsPerThread(int connections) {
        return new UpstreamSettings(readTimeout, idleTimeout, connections, failTimeout);
    }

    public UpstreamSettings withFailTimeout(Duration timeout) {
        return new UpstreamSettings(readTimeout, idleTimeout, connectionsPerThread, timeout);
    }
}
