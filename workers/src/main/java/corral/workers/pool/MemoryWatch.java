package corral.workers.pool;

import corral.workers.cgroup.PoolCgroup;
import corral.workers.proc.ProcTable;
import corral.workers.process.Worker;
import corral.workers.process.WorkerState;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Once a second on the pool's loop: one reading of {@code /proc} for all instances, from which
 * each serving worker's tree RSS (for {@code max_memory_restart} and status), the tree it would
 * kill, and the pool's CPU and memory use are taken.
 */
final class MemoryWatch {

    private static final System.Logger LOG = System.getLogger("corral.pool");

    private final PoolCgroup cgroup;
    private final UsageMeter meter = new UsageMeter();

    MemoryWatch(PoolCgroup cgroup) {
        this.cgroup = cgroup;
    }

    /** What one tick found: the slots whose serving worker is over the limit, and the pool's use. */
    record Reading(List<Slot> overLimit, PoolUsage usage) {
    }

    /** Reads {@code /proc} once; {@code maxMemoryBytes} 0 means no limit. */
    Reading tick(Collection<Slot> slots, Stream<Worker> retiring, long maxMemoryBytes, long nowMillis) {
        ProcTable table = ProcTable.read();
        List<Slot> over = new ArrayList<>();
        for (Slot slot : slots) {
            Worker w = slot.current;
            if (w == null || w.state() != WorkerState.READY) {
                continue;
            }
            Map<Long, Long> tree = table.tree(w.pid());
            long rss = table.rssBytes(tree.keySet());
            w.observe(rss, tree);
            boolean isOver = maxMemoryBytes > 0 && rss > maxMemoryBytes;
            if (isOver && !slot.overMemoryLimit) {
                LOG.log(System.Logger.Level.WARNING, String.format("%s rss %d MB is over max_memory_restart %d MB: replacing it",
                        w, rss >> 20, maxMemoryBytes >> 20));
            }
            slot.overMemoryLimit = isOver;
            if (isOver) {
                over.add(slot);
            }
        }
        return new Reading(over, usage(table, slots, retiring, nowMillis));
    }

    /** What the pool uses: its cgroup's counters where it has them, else its process trees'. */
    private PoolUsage usage(ProcTable table, Collection<Slot> slots, Stream<Worker> retiring, long nowMillis) {
        List<Long> pids = new ArrayList<>();
        for (Slot slot : slots) {
            for (Worker w : new Worker[] {slot.current, slot.incoming}) {
                if (w != null && w.state().hasProcess()) {
                    pids.add(w.pid());
                }
            }
        }
        retiring.forEach(w -> pids.add(w.pid()));
        return meter.sample(cgroup, table, pids, nowMillis);
    }
}
