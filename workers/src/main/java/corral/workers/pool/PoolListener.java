package corral.workers.pool;

/**
 * Told of every change of a pool's membership (an instance became ready, started draining, died).
 * Called on the pool's loop thread: it must be quick and must not call back into the pool.
 */
@FunctionalInterface
public interface PoolListener {
    void poolChanged(PoolView view);
}
