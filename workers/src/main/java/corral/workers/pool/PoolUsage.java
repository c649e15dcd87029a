package corral.workers.pool;

/**
 * What a pool uses of the machine, measured over the last second: from its cgroup when it has
 * one (every process that ran in it counts), else from the process trees of its instances.
 *
 * @param cpuPercent  CPU time used per wall-clock time, in percent of one CPU (200 = two CPUs busy)
 * @param memoryBytes memory now: the cgroup's charge, or the resident memory of the trees
 * @param fromCgroup  true when both figures come from the pool's cgroup
 */
public record PoolUsage(double cpuPercent, long memoryBytes, boolean fromCgroup) {

    /** Before the first measurement. */
    public static final PoolUsage NONE = new PoolUsage(0, 0, false);
}
