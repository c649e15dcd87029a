package corral.workers.config;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * What one pool may use of the machine, Corral's extension of the app attributes: the CPUs its
 * instances (and their children) may run on, and the CPU time, CPU weight and memory of the whole pool.
 *
 * @param cpus            {@code cpus}: the affinity of every instance, as {@code taskset -c}
 *                        applies it; empty = every CPU
 * @param cpuQuotaPercent {@code cpu_quota}: CPU time of the whole pool, in percent of one CPU
 *                        ({@code 150} = one and a half CPUs), enforced by the pool's cgroup
 * @param cpuWeight       {@code cpu_weight}: the whole pool's share of a CPU it competes for, in
 *                        cgroup v2 {@code cpu.weight} units (one busy process at nice 0 weighs
 *                        {@value #WEIGHT_PER_INSTANCE}); empty = that of as many processes as it has instances
 * @param memoryMaxBytes  {@code memory_max}: memory ceiling of the whole pool, enforced by its
 *                        cgroup (the kernel kills an instance past it); 0 = no ceiling
 */
public record ResourceLimits(Optional<CpuSet> cpus, OptionalInt cpuQuotaPercent, OptionalInt cpuWeight,
                             long memoryMaxBytes) {

    /** The CPU weight of one busy process at nice 0, in cgroup v2 units (systemd's CPUWeight default). */
    public static final int WEIGHT_PER_INSTANCE = 100;

    /** The highest weight: cgroup v2's {@code cpu.weight} takes 1 to 10000. */
    public static final int MAX_WEIGHT = 10_000;

    /** No pinning, no cgroup limit: what a plain PM2 file asks for. */
    public static final ResourceLimits NONE = new ResourceLimits(Optional.empty(), OptionalInt.empty(), OptionalInt.empty(), 0);

    public ResourceLimits {
        Objects.requireNonNull(cpus, "cpus");
        Objects.requireNonNull(cpuQuotaPercent, "cpuQuotaPercent");
        if (cpus.isPresent() && cpus.get().isEmpty()) {
            throw new IllegalArgumentException("cpus must not be an empty set");
        }
        if (cpuQuotaPercent.isPresent() && cpuQuotaPercent.getAsInt() < 1) {
            throw new IllegalArgumentException("cpuQuotaPercent must be >= 1, was " + cpuQuotaPercent.getAsInt());
        }
        Objects.requireNonNull(cpuWeight, "cpuWeight");
        if (cpuWeight.isPresent() && (cpuWeight.getAsInt() < 1 || cpuWeight.getAsInt() > MAX_WEIGHT)) {
            throw new IllegalArgumentException("cpuWeight must be 1 to " + MAX_WEIGHT + ", was " + cpuWeight.getAsInt());
        }
        if (memoryMaxBytes < 0) {
            throw new IllegalArgumentException("memoryMaxBytes must be >= 0, was " + memoryMaxBytes);
        }
    }

    /**
     * The pool's CPU weight with {@code instances} instances: {@code cpu_weight} when set, else as
     * many busy processes' worth as it has instances (up to {@link #MAX_WEIGHT}: 100 instances),
     * so that without {@code cpu_weight} its cgroup changes nothing in how CPUs are shared.
     */
    public int cpuWeightFor(int instances) {
        return cpuWeight.orElse((int) Math.min(MAX_WEIGHT, (long) WEIGHT_PER_INSTANCE * Math.max(1, instances)));
    }
}
