package corral.workers.pool;

import corral.workers.process.InstanceView;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * Lets a pool wait, before signalling a retired instance, until the requests already sent to it
 * have finished. The proxy, which counts requests in flight per instance, implements it.
 */
@FunctionalInterface
public interface DrainGate {

    /** Completes once {@code instance} has no request in flight, or after {@code max}. */
    CompletableFuture<Void> awaitIdle(InstanceView instance, Duration max);

    /** For a supervisor without a proxy: nothing is ever in flight. */
    DrainGate NONE = (instance, max) -> CompletableFuture.completedFuture(null);
}
