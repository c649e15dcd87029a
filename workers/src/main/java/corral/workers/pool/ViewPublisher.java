package corral.workers.pool;

import corral.workers.process.InstanceView;
import corral.workers.process.Worker;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

/**
 * Builds the pool's picture from its slots and tells the listeners (the proxy's balancer, the
 * registry). Built on the loop; read from any thread.
 */
final class ViewPublisher {

    private static final System.Logger LOG = System.getLogger("corral.pool");

    private final List<PoolListener> listeners = new CopyOnWriteArrayList<>();
    private volatile PoolView view;

    ViewPublisher(PoolView initial) {
        this.view = initial;
    }

    PoolView view() {
        return view;
    }

    void add(PoolListener listener) {
        listeners.add(listener);
        listener.poolChanged(view);
    }

    /** Each slot's worker (or what the empty slot shows), each replacement, each worker on its way out. */
    static PoolView build(String app, int configured, Collection<Slot> slots, Stream<Worker> retiring) {
        List<InstanceView> out = new ArrayList<>();
        for (Slot slot : slots) {
            if (slot.current != null) {
                out.add(slot.current.view());
            } else if (slot.incoming == null) {
                out.add(slot.emptyView(app));
            }
            if (slot.incoming != null) {
                out.add(slot.incoming.view());
            }
        }
        retiring.forEach(w -> out.add(w.view()));
        return new PoolView(app, configured, out);
    }

    void publish(PoolView next) {
        view = next;
        for (PoolListener l : listeners) {
            try {
                l.poolChanged(next);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.ERROR, "pool listener failed", e);
            }
        }
    }
}
