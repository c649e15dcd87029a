package corral.workers.pool;

import corral.workers.cgroup.PoolCgroup;
import corral.workers.proc.ProcFs;
import corral.workers.proc.ProcessTree;
import java.util.Collection;
import java.util.OptionalLong;

/**
 * Turns a pool's cumulative CPU time into a rate, one sample per tick of the pool's loop (which
 * owns it). CPU time comes from the pool's cgroup when it counts it, else from the process trees
 * of the instances alive now (a tree that exited takes its time with it: the rate never goes
 * below zero).
 */
final class UsageMeter {

    private long lastCpuNanos = -1;
    private long lastMillis;

    PoolUsage sample(PoolCgroup cgroup, Collection<Long> workerPids, long nowMillis) {
        OptionalLong groupCpu = cgroup.cpuNanos();
        OptionalLong groupMemory = cgroup.memoryBytes();
        long cpu = groupCpu.isPresent() ? groupCpu.getAsLong() : treesCpuNanos(workerPids);
        long memory = groupMemory.isPresent() ? groupMemory.getAsLong() : treesRss(workerPids);
        double percent = 0;
        if (lastCpuNanos >= 0 && nowMillis > lastMillis) {
            percent = Math.max(0, cpu - lastCpuNanos) / 1e4 / (nowMillis - lastMillis);
        }
        lastCpuNanos = cpu;
        lastMillis = nowMillis;
        return new PoolUsage(Math.round(percent * 10) / 10.0, memory, groupCpu.isPresent() && groupMemory.isPresent());
    }

    private static long treesCpuNanos(Collection<Long> pids) {
        long total = 0;
        for (long pid : pids) {
            for (long p : ProcessTree.snapshot(pid).keySet()) {
                total += ProcFs.cpuNanos(p);
            }
        }
        return total;
    }

    private static long treesRss(Collection<Long> pids) {
        return pids.stream().mapToLong(ProcFs::treeRssBytes).sum();
    }
}
