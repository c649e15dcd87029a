package corral.workers.cgroup;

import corral.workers.config.ResourceLimits;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * CPU weights. To the scheduler a cgroup weighs as much as one busy process beside it, however
 * many processes it holds; so each pool's cgroup is given its {@code cpu_weight}, by default that
 * of as many processes as it has instances ({@link ResourceLimits#cpuWeightFor}), and Corral's
 * parent the sum of its pools'. Without {@code cpu_weight} a CPU is then shared between the pools
 * and the machine's other processes as it was without cgroups; a pool with a low one gives way
 * to everything else on its CPUs (the proxy first) and still takes what they leave idle.
 */
final class Weights {

    private final String file;
    private final long perInstance;
    private final long min;
    private final long max;
    private final Path parent;
    private final Map<String, Long> byPool = new HashMap<>();

    /**
     * @param file        the weight file ({@code cpu.weight}, {@code cpu.shares})
     * @param perInstance what that file says for one busy process (its default)
     * @param min         the lowest value the kernel takes
     * @param max         the highest value the kernel takes
     * @param parent      Corral's parent cgroup in the hierarchy that has the file
     */
    Weights(String file, long perInstance, long min, long max, Path parent) {
        this.file = file;
        this.perInstance = perInstance;
        this.min = min;
        this.max = max;
        this.parent = parent;
    }

    /** Gives pool {@code app} (its cgroup directory {@code dir}) {@code weight}, in cgroup v2 units. */
    synchronized void set(String app, Path dir, int weight) throws IOException {
        long value = clamp(weight * perInstance / ResourceLimits.WEIGHT_PER_INSTANCE);
        byPool.put(app, value);
        CgroupFiles.write(parent.resolve(file), Long.toString(total()));
        CgroupFiles.write(dir.resolve(file), Long.toString(value));
    }

    /** Pool {@code app} is gone: the parent weighs that much less. */
    synchronized void forget(String app) throws IOException {
        if (byPool.remove(app) != null && !byPool.isEmpty()) {
            CgroupFiles.write(parent.resolve(file), Long.toString(total()));
        }
    }

    private long total() {
        return clamp(byPool.values().stream().mapToLong(Long::longValue).sum());
    }

    private long clamp(long value) {
        return Math.max(min, Math.min(max, value));
    }
}
