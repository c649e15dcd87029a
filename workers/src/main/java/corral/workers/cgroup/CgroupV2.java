package corral.workers.cgroup;

import corral.workers.config.ResourceLimits;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;

/**
 * The unified hierarchy. Corral's parent goes in the nearest cgroup, from the daemon's own one
 * up, that hands the cpu and memory controllers to its children (or in the root, which may be
 * told to), because cgroup v2 lets a cgroup that holds processes give controllers to no child.
 * Limits: {@code cpu.max} (quota and period, in µs) and {@code memory.max}; {@code cpu.weight}
 * as {@link Weights} says.
 */
final class CgroupV2 implements Hierarchy {

    static final Set<String> CONTROLLERS = Set.of("cpu", "memory");
    private static final String ENABLE = "+cpu +memory";
    static final long PERIOD_US = 100_000;

    private final Path base;
    private final Path parent;
    private final boolean enableInBase;
    private final Weights weights;

    private CgroupV2(Path base, String parentName, boolean enableInBase) {
        this.base = base;
        this.parent = base.resolve(parentName);
        this.enableInBase = enableInBase;
        this.weights = new Weights("cpu.weight", 100, 1, 10_000, parent);
    }

    static Detection find(CgroupMounts mounts, String parentName) {
        var mount = mounts.v2();
        if (mount.isEmpty()) {
            return new Detection.Unusable("no cgroup v2 file system is mounted");
        }
        Path root = mount.get().point();
        var own = mounts.ownV2Dir(mount.get());
        if (own.isEmpty()) {
            return new Detection.Unusable("this process's cgroup v2 is outside the mount at " + root);
        }
        for (Path dir = own.get(); dir != null && dir.startsWith(root); dir = dir.getParent()) {
            boolean handsDown = CgroupFiles.words(dir.resolve("cgroup.subtree_control")).containsAll(CONTROLLERS);
            boolean rootMayBeTold = dir.equals(root)
                    && CgroupFiles.words(dir.resolve("cgroup.controllers")).containsAll(CONTROLLERS);
            if (handsDown || rootMayBeTold) {
                return Files.isWritable(dir)
                        ? new Detection.Usable(new CgroupV2(dir, parentName, !handsDown))
                        : new Detection.Unusable(dir + " (cgroup v2) is not writable: run as root, or delegate it");
            }
        }
        boolean held = CgroupFiles.words(root.resolve("cgroup.controllers")).isEmpty();
        return new Detection.Unusable("cgroup v2 at " + root + " gives no cpu and memory controllers to "
                + own.get() + " or a cgroup above it" + (held ? " (they are held by cgroup v1)" : ""));
    }

    @Override
    public String describe() {
        return "cgroup v2 at " + parent;
    }

    @Override
    public void createParent() throws IOException {
        if (enableInBase) {
            CgroupFiles.write(base.resolve("cgroup.subtree_control"), ENABLE);
        }
        CgroupFiles.create(parent);
        CgroupFiles.write(parent.resolve("cgroup.subtree_control"), ENABLE);
        CgroupFiles.sweep(parent);
    }

    @Override
    public PoolCgroup pool(String app) throws IOException {
        Path dir = parent.resolve(app);
        CgroupFiles.create(dir);
        return new Group(app, dir, weights);
    }

    @Override
    public void removeParent() throws IOException {
        CgroupFiles.remove(List.of(parent));
    }

    private record Group(String app, Path dir, Weights weights) implements PoolCgroup {
        @Override
        public void apply(ResourceLimits limits, int instances) throws IOException {
            weights.set(app, dir, limits.cpuWeightFor(instances));
            String quota = limits.cpuQuotaPercent().isPresent()
                    ? Long.toString(limits.cpuQuotaPercent().getAsInt() * PERIOD_US / 100) : "max";
            CgroupFiles.write(dir.resolve("cpu.max"), quota + " " + PERIOD_US);
            CgroupFiles.write(dir.resolve("memory.max"),
                    limits.memoryMaxBytes() > 0 ? Long.toString(limits.memoryMaxBytes()) : "max");
        }

        @Override
        public void admit(long pid) throws IOException {
            CgroupFiles.write(dir.resolve("cgroup.procs"), Long.toString(pid));
        }

        @Override
        public OptionalLong cpuNanos() {
            OptionalLong usec = CgroupFiles.keyed(dir.resolve("cpu.stat"), "usage_usec");
            return usec.isPresent() ? OptionalLong.of(usec.getAsLong() * 1000) : usec;
        }

        @Override
        public OptionalLong memoryBytes() {
            return CgroupFiles.number(dir.resolve("memory.current"));
        }

        @Override
        public void remove() throws IOException {
            CgroupFiles.remove(List.of(dir));
            weights.forget(app);
        }

        @Override
        public String location() {
            return dir.toString();
        }
    }
}
