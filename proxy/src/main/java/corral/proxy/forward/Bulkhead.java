package corral.proxy.forward;

import io.undertow.server.Connectors;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.SameThreadExecutor;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import org.xnio.XnioExecutor;

/**
 * One pool's bulkhead: at most {@link UpstreamSettings#maxInFlight()} of its requests are
 * forwarded at once; up to {@link UpstreamSettings#maxQueued()} more wait for a slot, in order,
 * each at most the read timeout ({@link FailureKind#QUEUE_TIMEOUT}); past both, the pool answers
 * 503 at once ({@link FailureKind#BULKHEAD}). So a pool whose instances all hang holds a bounded
 * share of the proxy (exchanges, client and upstream connections, buffers) and the other pools
 * never wait for it.
 *
 * <p>Nothing blocks: a waiting exchange is parked ({@code dispatch} with nothing to run) and
 * resumed on its own IO thread. The counter and the queue are guarded by the object's monitor,
 * which only this pool's requests take, for a few instructions.
 */
final class Bulkhead {

    private final ArrayDeque<Waiter> queue = new ArrayDeque<>();
    private int inFlight;

    /** Requests of the pool being forwarded now. */
    synchronized int inFlight() {
        return inFlight;
    }

    /** Requests of the pool waiting for a slot now. */
    synchronized int queued() {
        return queue.size();
    }

    /**
     * Lets the exchange through to {@code next} now if a slot is free and nobody waits, else
     * queues it (it goes on when a slot frees) or refuses it. The slot it gets is recorded on the
     * forwarding and given back when the exchange ends ({@link Forwarding#finish()}).
     */
    void enter(HttpServerExchange exchange, Forwarding forwarding, HttpHandler next) throws Exception {
        if (tryTakeSlot(forwarding.settings())) {
            forwarding.holding(new Slot(this, forwarding.settings()));
            next.handleRequest(exchange);
            return;
        }
        // Parked: queued only once this call has returned, so a resume can never run inside it.
        exchange.dispatch(SameThreadExecutor.INSTANCE, () -> queueOrRefuse(exchange, forwarding, next));
    }

    private synchronized boolean tryTakeSlot(UpstreamSettings settings) {
        if (inFlight < settings.maxInFlight() && queue.isEmpty()) {
            inFlight++;
            return true;
        }
        return false;
    }

    private void queueOrRefuse(HttpServerExchange exchange, Forwarding forwarding, HttpHandler next) {
        UpstreamSettings settings = forwarding.settings();
        Waiter waiter = new Waiter(exchange, forwarding, next);
        boolean admitted = false;
        boolean queued = false;
        synchronized (this) {
            if (tryTakeSlot(settings)) {
                admitted = true;
            } else if (queue.size() < settings.maxQueued()) {
                queue.addLast(waiter);
                queued = true;
            }
        }
        if (admitted) {
            waiter.resume();
        } else if (queued) {
            waiter.expireAfter(settings.readTimeout().toMillis());
        } else {
            Connectors.executeRootHandler(ex -> ErrorResponses.send(ex, forwarding, FailureKind.BULKHEAD), exchange);
        }
    }

    /** A slot is free again: it goes to the longest-waiting exchanges while the limit allows. */
    private void release(UpstreamSettings settings) {
        List<Waiter> next;
        synchronized (this) {
            inFlight--;
            if (queue.isEmpty()) {
                return; // the usual case, once per request: nobody waits, nothing to allocate
            }
            next = new ArrayList<>(1);
            while (inFlight < settings.maxInFlight() && !queue.isEmpty()) {
                inFlight++;
                next.add(queue.pollFirst());
            }
        }
        next.forEach(Waiter::resume);
    }

    private synchronized boolean withdraw(Waiter waiter) {
        return queue.remove(waiter);
    }

    /** An exchange's hold on a slot; {@link #release()} gives it back once, however often it is called. */
    static final class Slot {
        // A field updater, not an AtomicBoolean: one object a request less (issue 12).
        private static final AtomicIntegerFieldUpdater<Slot> RELEASED =
                AtomicIntegerFieldUpdater.newUpdater(Slot.class, "released");
        private final Bulkhead bulkhead;
        private final UpstreamSettings settings;
        private volatile int released;

        private Slot(Bulkhead bulkhead, UpstreamSettings settings) {
            this.bulkhead = bulkhead;
            this.settings = settings;
        }

        void release() {
            if (RELEASED.compareAndSet(this, 0, 1)) {
                bulkhead.release(settings);
            }
        }
    }

    /** A parked exchange waiting for a slot. */
    private final class Waiter {
        private final HttpServerExchange exchange;
        private final Forwarding forwarding;
        private final HttpHandler next;
        private volatile XnioExecutor.Key timer;

        Waiter(HttpServerExchange exchange, Forwarding forwarding, HttpHandler next) {
            this.exchange = exchange;
            this.forwarding = forwarding;
            this.next = next;
        }

        /** It holds a slot now (counted already): it goes on, on its own IO thread. */
        void resume() {
            exchange.getIoThread().execute(() -> {
                XnioExecutor.Key t = timer;
                if (t != null) {
                    t.remove();
                }
                forwarding.holding(new Slot(Bulkhead.this, forwarding.settings()));
                Connectors.executeRootHandler(next, exchange);
            });
        }

        void expireAfter(long millis) {
            timer = exchange.getIoThread().executeAfter(this::expire, millis, TimeUnit.MILLISECONDS);
        }

        private void expire() {
            if (withdraw(this)) {
                Connectors.executeRootHandler(ex -> ErrorResponses.send(ex, forwarding, FailureKind.QUEUE_TIMEOUT),
                        exchange);
            }
        }
    }
}
