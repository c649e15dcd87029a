package corral.workers.cgroup;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * CPU weights. To the scheduler a cgroup weighs as much as one busy thread beside it, however many
 * processes it holds; so each pool's cgroup is given the weight of as many threads as it has
 * instances, and Corral's parent the sum of its pools'. A CPU is then shared between the pools and
 * the machine's other processes as it was without cgroups, and only a quota limits a pool.
 */
final class Weights {

    private final String file;
    private final long unit;
    private final long max;
    private final Path parent;
    private final Map<String, Long> byPool = new HashMap<>();

    /**
     * @param file   the weight file ({@code cpu.weight}, {@code cpu.shares})
     * @param unit   the default weight: one thread's worth
     * @param max    the highest weight the kernel takes
     * @param parent Corral's parent cgroup in the hierarchy that has the file
     */
    Weights(String file, long unit, long max, Path parent) {
        this.file = file;
        this.unit = unit;
        this.max = max;
        this.parent = parent;
    }

    /** Gives pool {@code app} (its cgroup directory {@code dir}) the weight of {@code instances} threads. */
    synchronized void set(String app, Path dir, int instances) throws IOException {
        long weight = Math.min(max, unit * Math.max(1, instances));
        byPool.put(app, weight);
        CgroupFiles.write(parent.resolve(file), Long.toString(total()));
        CgroupFiles.write(dir.resolve(file), Long.toString(weight));
    }

    /** Pool {@code app} is gone: the parent weighs that much less. */
    synchronized void forget(String app) throws IOException {
        if (byPool.remove(app) != null && !byPool.isEmpty()) {
            CgroupFiles.write(parent.resolve(file), Long.toString(total()));
        }
    }

    private long total() {
        return Math.min(max, byPool.values().stream().mapToLong(Long::longValue).sum());
    }
}
