package corral.workers.pool;

import java.util.Collection;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A pool's slots by index, and whether the pool runs (started and not stopped). Touched only by
 * the pool's loop thread.
 */
final class Slots {

    private final TreeMap<Integer, Slot> byIndex = new TreeMap<>();
    private final AtomicInteger pmIds;
    private boolean running;

    Slots(AtomicInteger pmIds) {
        this.pmIds = pmIds;
    }

    boolean running() {
        return running;
    }

    void running(boolean now) {
        running = now;
    }

    /** The slot at {@code index}, or null. */
    Slot get(int index) {
        return byIndex.get(index);
    }

    /** The slot at {@code index}, made (with the daemon's next pm_id) if there is none. */
    Slot obtain(int index) {
        return byIndex.computeIfAbsent(index, i -> new Slot(i, pmIds.getAndIncrement()));
    }

    Slot remove(int index) {
        return byIndex.remove(index);
    }

    List<Integer> indices() {
        return List.copyOf(byIndex.keySet());
    }

    Collection<Slot> all() {
        return byIndex.values();
    }

    int size() {
        return byIndex.size();
    }

    /** The slot still belongs to a running pool (it was not scaled away, the pool not stopped). */
    boolean isLive(Slot slot) {
        return running && byIndex.get(slot.index) == slot;
    }
}
