package corral.workers.config;

import java.time.Duration;
import java.util.Objects;

/**
 * How the proxy treats one pool, Corral's extension of the app attributes: its bulkhead (how many
 * requests may be in flight to it, and wait for a slot, before it answers 503 at once) and how
 * long an instance may stay silent. The limits are the pool's own, so a pool that stops answering
 * holds at most these many requests, connections and buffers of the proxy.
 *
 * @param readTimeout {@code proxy_read_timeout}: longest silence of an instance while a request
 *                    is in flight (nginx's {@code proxy_read_timeout}); also the longest a request
 *                    waits in the queue for a slot
 * @param maxInFlight {@code proxy_max_in_flight}: requests of the pool being forwarded at once
 * @param maxQueued   {@code proxy_max_queued}: requests waiting for one of those slots; past
 *                    both, the pool answers 503 at once
 */
public record ProxyLimits(Duration readTimeout, int maxInFlight, int maxQueued) {

    /** nginx's 60 s read timeout; limits far above what a healthy pool of Node workers needs. */
    public static final ProxyLimits DEFAULTS = new ProxyLimits(Duration.ofSeconds(60), 1000, 100);

    public ProxyLimits {
        Objects.requireNonNull(readTimeout, "readTimeout");
        if (readTimeout.toMillis() < 1) {
            throw new IllegalArgumentException("readTimeout must be at least 1 ms, was " + readTimeout);
        }
        if (maxInFlight < 1) {
            throw new IllegalArgumentException("maxInFlight must be >= 1, was " + maxInFlight);
        }
        if (maxQueued < 0) {
            throw new IllegalArgumentException("maxQueued must be >= 0, was " + maxQueued);
        }
    }
}
