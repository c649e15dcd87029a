package corral.proxy.balance;

import corral.workers.process.InstanceView;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.concurrent.atomic.LongAdder;

/**
 * One worker instance as the proxy routes to it: its identity (id, index, pid, port), the exact
 * number of requests in flight on it, and whether it still takes new ones. Invariant: once
 * {@link #retired()}, {@link #acquire()} never succeeds again, and {@link #idle()} completes as
 * soon as the in-flight count is zero.
 */
public final class Upstream {
    private final InstanceView instance;
    private final AtomicInteger poolLoad;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final LongAdder requests = new LongAdder();
    private final CompletableFuture<Void> idle = new CompletableFuture<>();
    private volatile boolean retired;
    private volatile long downUntilMillis;

    Upstream(InstanceView instance, AtomicInteger poolLoad) {
        this.instance = instance;
        this.poolLoad = poolLoad;
    }

    /** The instance as it was when it became ready. */
    public InstanceView instance() {
        return instance;
    }

    public String app() {
        return instance.app();
    }

    public long id() {
        return instance.id();
    }

    public int index() {
        return instance.index();
    }

    public long pid() {
        return instance.pid();
    }

    public int port() {
        return instance.port();
    }

    /** Requests assigned to it whose exchange has not completed yet. */
    public int inFlight() {
        return inFlight.get();
    }

    /** Requests ever assigned to it. */
    public long requests() {
        return requests.sum();
    }

    /** True once it left the routable set (draining, stopping or gone): no new request. */
    public boolean retired() {
        return retired;
    }

    /** True while a recent connect failure keeps it at the back of the queue (see {@link PoolTable#markDown}). */
    public boolean isDown(long nowMillis) {
        return downUntilMillis > nowMillis;
    }

    /**
     * Counts one more request on it, or returns null if it was retired meanwhile. The count goes
     * up before the retired flag is read, and {@link #retire()} sets the flag before reading the
     * count, so a drain can never miss a request that slipped in while it started.
     */
    Lease acquire() {
        inFlight.incrementAndGet();
        poolLoad.incrementAndGet();
        if (retired) {
            release();
            return null;
        }
        requests.increment();
        return new Lease(this);
    }

    void retire() {
        retired = true;
        if (inFlight.get() == 0) {
            idle.complete(null);
        }
    }

    /** Completes when it is retired and has nothing in flight; never completes otherwise. */
    CompletableFuture<Void> idle() {
        return idle;
    }

    void downUntil(long millis) {
        downUntilMillis = millis;
    }

    private void release() {
        poolLoad.decrementAndGet();
        if (inFlight.decrementAndGet() == 0 && retired) {
            idle.complete(null);
        }
    }

    @Override
    public String toString() {
        return instance.app() + "[" + instance.index() + "] pid " + instance.pid() + " port " + instance.port();
    }

    /**
     * One request's hold on an upstream: {@link #release()} gives it back, once, whatever the
     * outcome and however many times it is called (an exchange can end by several paths).
     */
    public static final class Lease {
        // A field updater, not an AtomicBoolean: one object a request less (issue 12).
        private static final AtomicIntegerFieldUpdater<Lease> RELEASED =
                AtomicIntegerFieldUpdater.newUpdater(Lease.class, "released");
        private final Upstream upstream;
        private volatile int released;

        private Lease(Upstream upstream) {
            this.upstream = upstream;
        }

        public Upstream upstream() {
            return upstream;
        }

        public void release() {
            if (RELEASED.compareAndSet(this, 0, 1)) {
                upstream.release();
            }
        }
    }
}
