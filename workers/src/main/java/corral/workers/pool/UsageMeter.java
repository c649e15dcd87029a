package corral.workers.pool;

import corral.workers.cgroup.PoolCgroup;
import corral.workers.proc.ProcTable;
import java.util.Collection;
import java.util.HashSet;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Turns a pool's cumulative CPU time into a rate, one sample per tick of the pool's loop (which
 * owns it). CPU time comes from the pool's cgroup when it counts it, else from the process trees
 * of the instances alive now (a tree that exited takes its time with it: the rate never goes
 * below zero).
 */
final class UsageMeter {

    private long lastCpuNanos = -1;
    private long lastMillis;

    PoolUsage sample(PoolCgroup cgroup, ProcTable table, Collection<Long> workerPids, long nowMillis) {
        OptionalLong groupCpu = cgroup.cpuNanos();
        OptionalLong groupMemory = cgroup.memoryBytes();
        Set<Long> trees = new HashSet<>();
        if (groupCpu.isEmpty() || groupMemory.isEmpty()) {
            workerPids.forEach(pid -> trees.addAll(table.tree(pid).keySet()));
        }
        long cpu = groupCpu.isPresent() ? groupCpu.getAsLong() : table.cpuNanos(trees);
        long memory = groupMemory.isPresent() ? groupMemory.getAsLong() : table.rssBytes(trees);
        double percent = 0;
        if (lastCpuNanos >= 0 && nowMillis > lastMillis) {
            percent = Math.max(0, cpu - lastCpuNanos) / 1e4 / (nowMillis - lastMillis);
        }
        lastCpuNanos = cpu;
        lastMillis = nowMillis;
        return new PoolUsage(Math.round(percent * 10) / 10.0, memory, groupCpu.isPresent() && groupMemory.isPresent());
    }
}
