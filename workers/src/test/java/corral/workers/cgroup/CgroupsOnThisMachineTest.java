package corral.workers.cgroup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import corral.fixtures.CorralHome;
import corral.workers.config.ResourceLimits;
import corral.workers.home.HomeLayout;
import corral.workers.proc.ProcFs;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The cgroups of this machine for real, when it offers writable ones (root, or a delegated
 * cgroup): a pool's cgroup is made under Corral's parent for the home, its limits are written, a
 * process moved in is in it, and everything is removed afterwards. Skipped, with the reason,
 * where cgroups are unavailable; {@link CgroupsTest} covers the detection there.
 */
class CgroupsOnThisMachineTest {

    @RegisterExtension
    static final CorralHome HOME = new CorralHome();

    @Test
    void aPoolsCgroupHoldsItsLimitsAndProcessesAndIsRemovedWithItsParent() throws Exception {
        HomeLayout home = new HomeLayout(HOME.path());
        Cgroups probe = Cgroups.probe(home, Map.of());
        Assumptions.assumeTrue(probe.available(), "this machine offers no writable cgroups: " + probe.summary());

        Cgroups cgroups = Cgroups.open(home, Map.of());
        PoolCgroup group = cgroups.pool("web", CgroupsTest.LIMITS, 3);
        Process sleeper = HOME.applyTo(new ProcessBuilder("sleep", "60")).start();
        try {
            group.admit(sleeper.pid());

            String parent = Cgroups.parentName(home);
            assertTrue(ProcFs.cgroups(sleeper.pid()).stream().anyMatch(line -> line.endsWith("/" + parent + "/web")),
                    "in its pool's cgroup: " + ProcFs.cgroups(sleeper.pid()));
            assertEquals(List.of("150000 100000", Long.toString(512L << 20)), limitsWritten(group));
            assertEquals(300, weight(group), "as much as its three instances");
            assertTrue(group.memoryBytes().isPresent(), "memory is measured");

            group.apply(ResourceLimits.NONE, 1);
            assertEquals(List.of("max 100000", "max"), limitsWritten(group));
            assertEquals(100, weight(group));
            group.apply(new ResourceLimits(Optional.empty(), OptionalInt.empty(), OptionalInt.of(5), 0), 3);
            assertEquals(5, weight(group), "cpu_weight, whatever the instances");
        } finally {
            sleeper.destroyForcibly();
            sleeper.waitFor(10, TimeUnit.SECONDS);
        }
        removeOnceReaped(group);
        cgroups.close();
        for (String dir : group.location().split(", ")) {
            assertFalse(Files.exists(Path.of(dir)), dir + " removed");
            assertFalse(Files.exists(Path.of(dir).getParent()), "Corral's parent removed");
        }
    }

    /** The limits as the kernel reads them back, in v2's words: quota and period, memory or "max". */
    static List<String> limitsWritten(PoolCgroup group) throws Exception {
        List<Path> dirs = Arrays.stream(group.location().split(", ")).map(Path::of).toList();
        for (Path dir : dirs) {
            if (Files.exists(dir.resolve("cpu.max"))) {
                return List.of(Files.readString(dir.resolve("cpu.max")).trim(),
                        Files.readString(dir.resolve("memory.max")).trim());
            }
        }
        Path cpu = dirs.stream().filter(d -> Files.exists(d.resolve("cpu.cfs_quota_us"))).findFirst().orElseThrow();
        Path memory = dirs.stream().filter(d -> Files.exists(d.resolve("memory.limit_in_bytes"))).findFirst().orElseThrow();
        long quota = Long.parseLong(Files.readString(cpu.resolve("cpu.cfs_quota_us")).trim());
        long period = Long.parseLong(Files.readString(cpu.resolve("cpu.cfs_period_us")).trim());
        long limit = Long.parseLong(Files.readString(memory.resolve("memory.limit_in_bytes")).trim());
        // v1 reads "no limit" back as the largest page-aligned number.
        return List.of((quota < 0 ? "max" : Long.toString(quota)) + " " + period,
                limit >= Long.MAX_VALUE / 2 ? "max" : Long.toString(limit));
    }

    /** The pool's CPU weight in cgroup v2 units (100 = one busy process): v2's cpu.weight, or v1's cpu.shares in them. */
    static long weight(PoolCgroup group) throws Exception {
        for (String dir : group.location().split(", ")) {
            Path weight = Path.of(dir, "cpu.weight");
            Path shares = Path.of(dir, "cpu.shares");
            if (Files.exists(weight)) {
                return Long.parseLong(Files.readString(weight).trim());
            }
            if (Files.exists(shares)) {
                return Math.round(Long.parseLong(Files.readString(shares).trim()) * 100 / 1024.0);
            }
        }
        throw new AssertionError("no cpu.weight or cpu.shares in " + group.location());
    }

    private static void removeOnceReaped(PoolCgroup group) throws Exception {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (true) {
            try {
                group.remove();
                return;
            } catch (java.io.IOException busy) {
                if (System.nanoTime() > until) {
                    throw busy;
                }
                Thread.sleep(50);
            }
        }
    }
}
