package corral.workers.config;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * What one pool may use of the machine, Corral's extension of the app attributes: the CPUs its
 * instances (and their children) may run on, and the CPU time and memory of the whole pool.
 *
 * @param cpus            {@code cpus}: the affinity of every instance, as {@code taskset -c}
 *                        applies it; empty = every CPU
 * @param cpuQuotaPercent {@code cpu_quota}: CPU time of the whole pool, in percent of one CPU
 *                        ({@code 150} = one and a half CPUs), enforced by the pool's cgroup
 * @param memoryMaxBytes  {@code memory_max}: memory ceiling of the whole pool, enforced by its
 *                        cgroup (the kernel kills an instance past it); 0 = no ceiling
 */
public record ResourceLimits(Optional<CpuSet> cpus, OptionalInt cpuQuotaPercent, long memoryMaxBytes) {

    /** No pinning, no cgroup limit: what a plain PM2 file asks for. */
    public static final ResourceLimits NONE = new ResourceLimits(Optional.empty(), OptionalInt.empty(), 0);

    public ResourceLimits {
        Objects.requireNonNull(cpus, "cpus");
        Objects.requireNonNull(cpuQuotaPercent, "cpuQuotaPercent");
        if (cpus.isPresent() && cpus.get().isEmpty()) {
            throw new IllegalArgumentException("cpus must not be an empty set");
        }
        if (cpuQuotaPercent.isPresent() && cpuQuotaPercent.getAsInt() < 1) {
            throw new IllegalArgumentException("cpuQuotaPercent must be >= 1, was " + cpuQuotaPercent.getAsInt());
        }
        if (memoryMaxBytes < 0) {
            throw new IllegalArgumentException("memoryMaxBytes must be >= 0, was " + memoryMaxBytes);
        }
    }
}
