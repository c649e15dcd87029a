package corral.workers.cgroup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import corral.fixtures.HomeCgroups;
import corral.workers.config.CpuSet;
import corral.workers.config.ResourceLimits;
import corral.workers.home.HomeLayout;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Finding what the machine offers, from mountinfo and the process's own cgroups, and writing a
 * pool's limits. The cgroup v2 cases run against a simulated cgroup file system in a temporary
 * directory, with the test playing the kernel (it makes the interface files a real mkdir would);
 * {@link CgroupsOnThisMachineTest} runs against the real one.
 */
class CgroupsTest {

    static final String PARENT = "corral-0badcafe";
    static final String ENFORCED = ": cpu_quota, cpu_weight and memory_max are enforced per pool";
    static final ResourceLimits LIMITS = new ResourceLimits(Optional.of(CpuSet.parse("0")), OptionalInt.of(150), OptionalInt.empty(), 512L << 20);

    @TempDir
    Path fs;

    static String v2Mount(Path point) {
        return "41 31 0:38 / " + point + " rw,relatime - cgroup2 cgroup2 rw";
    }

    static String v1Mount(int id, Path point, String controllers) {
        return id + " 31 0:" + id + " / " + point + " rw,relatime - cgroup cgroup rw," + controllers;
    }

    /** The interface files the kernel puts in a new cgroup v2 directory, as far as Corral uses them. */
    static Path v2Dir(Path dir, String controllers, String subtree) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("cgroup.controllers"), controllers + "\n");
        Files.writeString(dir.resolve("cgroup.subtree_control"), subtree + "\n");
        Files.writeString(dir.resolve("cgroup.procs"), "");
        for (String file : List.of("cpu.max", "cpu.weight", "memory.max", "cpu.stat", "memory.current")) {
            Files.writeString(dir.resolve(file), "");
        }
        return dir;
    }

    @Test
    void cgroupV2AtTheRootIsUsedAndAPoolGetsCpuMaxAndMemoryMax() throws IOException {
        v2Dir(fs, "cpuset cpu io memory pids", "");
        Path parent = v2Dir(fs.resolve(PARENT), "cpu memory", "");
        Path pool = v2Dir(parent.resolve("nuomi"), "cpu memory", "");
        Cgroups cgroups = Cgroups.created(Cgroups.detect(List.of(v2Mount(fs)), List.of("0::/"), PARENT, ""));

        assertTrue(cgroups.available(), cgroups.summary());
        assertEquals("cgroup v2 at " + parent + ENFORCED, cgroups.summary());
        assertEquals("+cpu +memory", Files.readString(fs.resolve("cgroup.subtree_control")), "the root hands them down");
        assertEquals("+cpu +memory", Files.readString(parent.resolve("cgroup.subtree_control")));

        PoolCgroup group = cgroups.pool("nuomi", LIMITS, 2);
        group.admit(4242);
        assertEquals("150000 100000", Files.readString(pool.resolve("cpu.max")));
        assertEquals("200", Files.readString(pool.resolve("cpu.weight")), "as much as two busy threads");
        assertEquals("200", Files.readString(parent.resolve("cpu.weight")), "the sum of its pools'");
        assertEquals(Long.toString(512L << 20), Files.readString(pool.resolve("memory.max")));
        assertEquals("4242", Files.readString(pool.resolve("cgroup.procs")));
        assertEquals(pool.toString(), group.location());

        v2Dir(parent.resolve("h5"), "cpu memory", "");
        cgroups.pool("h5", ResourceLimits.NONE, 3);
        assertEquals("500", Files.readString(parent.resolve("cpu.weight")));
        group.apply(ResourceLimits.NONE, 1);
        assertEquals("400", Files.readString(parent.resolve("cpu.weight")));
        assertEquals("max 100000", Files.readString(pool.resolve("cpu.max")));
        assertEquals("max", Files.readString(pool.resolve("memory.max")));
        group.apply(new ResourceLimits(Optional.empty(), OptionalInt.empty(), OptionalInt.of(5), 0), 1);
        assertEquals("5", Files.readString(pool.resolve("cpu.weight")), "cpu_weight, whatever the instances");
        assertEquals("305", Files.readString(parent.resolve("cpu.weight")));

        Files.writeString(pool.resolve("cpu.stat"), "usage_usec 2500\nuser_usec 2000\nsystem_usec 500\n");
        Files.writeString(pool.resolve("memory.current"), "1048576\n");
        assertEquals(OptionalLong.of(2_500_000), group.cpuNanos());
        assertEquals(OptionalLong.of(1_048_576), group.memoryBytes());
    }

    /** A cgroup v1 directory with the interface files Corral writes (the test plays the kernel). */
    static Path v1Dir(Path dir, String... files) throws IOException {
        Files.createDirectories(dir);
        for (String file : files) {
            Files.writeString(dir.resolve(file), "");
        }
        return dir;
    }

    @Test
    void cgroupV1GetsSharesInItsOwnUnitsCfsQuotaAndMemoryLimit() throws IOException {
        Path cpu = Files.createDirectories(fs.resolve("cpu"));
        Path memory = Files.createDirectories(fs.resolve("memory"));
        Cgroups cgroups = Cgroups.created(Cgroups.detect(List.of(v1Mount(32, cpu, "cpu"), v1Mount(35, memory, "memory")),
                List.of("4:memory:/", "1:cpu:/", "0::/"), PARENT, ""));
        Path parent = v1Dir(cpu.resolve(PARENT), "cpu.shares");
        Map<String, Path> cpuDirs = new HashMap<>();
        Map<String, Path> memoryDirs = new HashMap<>();
        for (String app : List.of("nuomi", "h5")) {
            cpuDirs.put(app, v1Dir(parent.resolve(app), "cpu.shares", "cpu.cfs_period_us", "cpu.cfs_quota_us", "cgroup.procs"));
            memoryDirs.put(app, v1Dir(memory.resolve(PARENT).resolve(app), "memory.limit_in_bytes", "cgroup.procs"));
        }

        cgroups.pool("nuomi", new ResourceLimits(Optional.of(CpuSet.parse("0")), OptionalInt.of(150), OptionalInt.of(5),
                512L << 20), 2);
        cgroups.pool("h5", ResourceLimits.NONE, 2);

        assertEquals("51", Files.readString(cpuDirs.get("nuomi").resolve("cpu.shares")), "cpu_weight 5 = 5 * 1024 / 100");
        assertEquals("150000", Files.readString(cpuDirs.get("nuomi").resolve("cpu.cfs_quota_us")));
        assertEquals("100000", Files.readString(cpuDirs.get("nuomi").resolve("cpu.cfs_period_us")));
        assertEquals(Long.toString(512L << 20), Files.readString(memoryDirs.get("nuomi").resolve("memory.limit_in_bytes")));
        assertEquals("2048", Files.readString(cpuDirs.get("h5").resolve("cpu.shares")), "two busy processes' worth");
        assertEquals("-1", Files.readString(cpuDirs.get("h5").resolve("cpu.cfs_quota_us")));
        assertEquals("-1", Files.readString(memoryDirs.get("h5").resolve("memory.limit_in_bytes")));
        assertEquals("2099", Files.readString(parent.resolve("cpu.shares")), "the sum of its pools'");

        cgroups.pool("nuomi", new ResourceLimits(Optional.empty(), OptionalInt.empty(), OptionalInt.of(1), 0), 2);
        assertEquals("10", Files.readString(cpuDirs.get("nuomi").resolve("cpu.shares")));
    }

    @Test
    void cgroupV2BelowTheRootGoesUnderTheNearestCgroupThatHandsCpuAndMemoryDown() throws IOException {
        v2Dir(fs, "cpu memory", "cpu memory");
        v2Dir(fs.resolve("system.slice"), "cpu memory", "cpu memory");
        v2Dir(fs.resolve("system.slice/corral.service"), "cpu memory", "");

        Cgroups cgroups = Cgroups.detect(List.of(v2Mount(fs)), List.of("0::/system.slice/corral.service"), PARENT, "");

        assertEquals("cgroup v2 at " + fs.resolve("system.slice").resolve(PARENT) + ENFORCED, cgroups.summary());
    }

    @Test
    void cgroupV2WhoseControllersAreHeldByV1FallsBackToV1() throws IOException {
        Path unified = v2Dir(fs.resolve("unified"), "", "");
        Path cpu = Files.createDirectories(fs.resolve("cpu"));
        Path memory = Files.createDirectories(fs.resolve("memory/session-7"));
        Files.createDirectories(fs.resolve("cpuacct"));
        List<String> mounts = List.of(v2Mount(unified), v1Mount(32, cpu, "cpu"), v1Mount(33, fs.resolve("cpuacct"), "cpuacct"),
                v1Mount(35, fs.resolve("memory"), "memory"));
        List<String> own = List.of("4:memory:/session-7", "2:cpuacct:/", "1:cpu:/", "0::/");

        Cgroups cgroups = Cgroups.detect(mounts, own, PARENT, "");

        assertTrue(cgroups.available());
        assertEquals("cgroup v1 at " + cpu.resolve(PARENT) + ", " + fs.resolve("cpuacct").resolve(PARENT) + ", "
                + memory.resolve(PARENT) + ENFORCED, cgroups.summary());
    }

    @Test
    void withoutUsableCgroupsEveryPoolRunsWithoutOneAndTheSummarySaysWhy() throws IOException {
        Path unified = v2Dir(fs.resolve("unified"), "", "");
        Cgroups cgroups = Cgroups.detect(List.of(v2Mount(unified)), List.of("0::/"), PARENT, "");

        assertFalse(cgroups.available());
        assertEquals(Cgroups.UNAVAILABLE + " (cgroup v2 at " + unified + " gives no cpu and memory controllers to "
                + unified + " or a cgroup above it (they are held by cgroup v1); cgroup v1 has no cpu hierarchy "
                + "mounted); cpu_quota, cpu_weight and memory_max are not applied", cgroups.summary());
        assertSame(PoolCgroup.NONE, cgroups.pool("h5", LIMITS, 2));
        assertEquals(OptionalLong.empty(), PoolCgroup.NONE.cpuNanos());
    }

    @Test
    void corralCgroupsOffTurnsThemOff() {
        Cgroups cgroups = Cgroups.detect(List.of(v2Mount(fs)), List.of("0::/"), PARENT, "off");

        assertEquals(Cgroups.UNAVAILABLE + " (CORRAL_CGROUPS=off); cpu_quota, cpu_weight and memory_max are not applied",
                cgroups.summary());
    }

    @Test
    void aContainersMountShowsASubtreeAndOwnPathsAreReadWithinIt() {
        CgroupMounts mounts = CgroupMounts.parse(
                List.of("35 31 0:32 /docker/abc /sys/fs/cgroup/mem\\040ory rw - cgroup cgroup rw,memory",
                        "36 31 0:33 / /sys/fs/cgroup/cpu,cpuacct rw - cgroup cgroup rw,cpu,cpuacct",
                        "23 1 0:21 / /proc rw - proc proc rw"),
                List.of("4:memory:/docker/abc/inner", "1:cpu,cpuacct:/other"));

        assertEquals(Optional.of(Path.of("/sys/fs/cgroup/mem ory/inner")),
                mounts.ownV1Dir(mounts.v1("memory").orElseThrow(), "memory"));
        assertEquals(Optional.of(Path.of("/sys/fs/cgroup/cpu,cpuacct/other")),
                mounts.ownV1Dir(mounts.v1("cpuacct").orElseThrow(), "cpuacct"));
        assertTrue(mounts.v2().isEmpty());
    }

    @Test
    void theParentNameTellsHomesApart() {
        String a = Cgroups.parentName(new corral.workers.home.HomeLayout(Path.of("/srv/corral")));
        String b = Cgroups.parentName(new corral.workers.home.HomeLayout(Path.of("/srv/corral-test")));
        assertTrue(a.matches("corral-[0-9a-f]{8}"), a);
        assertFalse(a.equals(b));
    }

    @Test
    void testHomesNameTheirCgroupsAsTheDaemonDoes() {
        Path home = fs.resolve("some home");
        assertEquals(Cgroups.parentName(new HomeLayout(home)), HomeCgroups.parentName(home),
                "CorralHome removes the cgroups a killed daemon of its homes left under this name");
    }
}
