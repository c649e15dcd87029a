package corral.workers.cgroup;

import corral.workers.config.ResourceLimits;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * cgroup v1: the cpu and memory hierarchies (and cpuacct, for CPU time, when it is mounted and
 * writable), each with Corral's parent under the daemon's own cgroup of that hierarchy. Limits:
 * {@code cpu.cfs_quota_us} over {@code cpu.cfs_period_us}, and {@code memory.limit_in_bytes};
 * {@code cpu.shares} as {@link Weights} says.
 */
final class CgroupV1 implements Hierarchy {

    static final long PERIOD_US = 100_000;

    private final Path cpuParent;
    private final Path memoryParent;
    private final Optional<Path> cpuacctParent;
    private final Weights weights;

    private CgroupV1(Path cpuParent, Path memoryParent, Optional<Path> cpuacctParent) {
        this.cpuParent = cpuParent;
        this.memoryParent = memoryParent;
        this.cpuacctParent = cpuacctParent;
        this.weights = new Weights("cpu.shares", 1024, 2, 262_144, cpuParent);
    }

    static Detection find(CgroupMounts mounts, String parentName) {
        Optional<Path> cpu = ownDir(mounts, "cpu");
        Optional<Path> memory = ownDir(mounts, "memory");
        if (cpu.isEmpty() || memory.isEmpty()) {
            return new Detection.Unusable("cgroup v1 has no " + (cpu.isEmpty() ? "cpu" : "memory") + " hierarchy mounted");
        }
        for (Path dir : List.of(cpu.get(), memory.get())) {
            if (!Files.isWritable(dir)) {
                return new Detection.Unusable(dir + " (cgroup v1) is not writable: run as root, or delegate it");
            }
        }
        Optional<Path> cpuacct = ownDir(mounts, "cpuacct").filter(Files::isWritable);
        return new Detection.Usable(new CgroupV1(cpu.get().resolve(parentName), memory.get().resolve(parentName),
                cpuacct.map(dir -> dir.resolve(parentName))));
    }

    private static Optional<Path> ownDir(CgroupMounts mounts, String controller) {
        return mounts.v1(controller).flatMap(mount -> mounts.ownV1Dir(mount, controller));
    }

    @Override
    public String describe() {
        return "cgroup v1 at " + String.join(", ", parents().stream().map(Path::toString).toList());
    }

    @Override
    public void createParent() throws IOException {
        for (Path parent : parents()) {
            CgroupFiles.create(parent);
            CgroupFiles.sweep(parent);
        }
    }

    @Override
    public PoolCgroup pool(String app) throws IOException {
        Group group = new Group(app, cpuParent.resolve(app), memoryParent.resolve(app),
                cpuacctParent.map(p -> p.resolve(app)), weights);
        for (Path dir : group.dirs()) {
            CgroupFiles.create(dir);
        }
        return group;
    }

    @Override
    public void removeParent() throws IOException {
        CgroupFiles.remove(parents());
    }

    /** The distinct parent directories (cpu and cpuacct may be mounted together). */
    private List<Path> parents() {
        var dirs = new LinkedHashSet<Path>();
        dirs.add(cpuParent);
        cpuacctParent.ifPresent(dirs::add);
        dirs.add(memoryParent);
        return new ArrayList<>(dirs);
    }

    private record Group(String app, Path cpu, Path memory, Optional<Path> cpuacct, Weights weights)
            implements PoolCgroup {
        @Override
        public void apply(ResourceLimits limits, int instances) throws IOException {
            weights.set(app, cpu, limits.cpuWeightFor(instances));
            CgroupFiles.write(cpu.resolve("cpu.cfs_period_us"), Long.toString(PERIOD_US));
            CgroupFiles.write(cpu.resolve("cpu.cfs_quota_us"), limits.cpuQuotaPercent().isPresent()
                    ? Long.toString(limits.cpuQuotaPercent().getAsInt() * PERIOD_US / 100) : "-1");
            CgroupFiles.write(memory.resolve("memory.limit_in_bytes"),
                    limits.memoryMaxBytes() > 0 ? Long.toString(limits.memoryMaxBytes()) : "-1");
        }

        @Override
        public void admit(long pid) throws IOException {
            for (Path dir : dirs()) {
                CgroupFiles.write(dir.resolve("cgroup.procs"), Long.toString(pid));
            }
        }

        @Override
        public OptionalLong cpuNanos() {
            return cpuacct.map(dir -> CgroupFiles.number(dir.resolve("cpuacct.usage"))).orElse(OptionalLong.empty());
        }

        @Override
        public OptionalLong memoryBytes() {
            return CgroupFiles.number(memory.resolve("memory.usage_in_bytes"));
        }

        @Override
        public void remove() throws IOException {
            CgroupFiles.remove(dirs());
            weights.forget(app);
        }

        @Override
        public String location() {
            return String.join(", ", dirs().stream().map(Path::toString).toList());
        }

        List<Path> dirs() {
            var dirs = new LinkedHashSet<Path>();
            dirs.add(cpu);
            cpuacct.ifPresent(dirs::add);
            dirs.add(memory);
            return new ArrayList<>(dirs);
        }
    }
}
