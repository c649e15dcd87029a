package corral.workers.supervisor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import corral.fixtures.CorralHome;
import corral.workers.cgroup.Cgroups;
import corral.workers.config.CpuSet;
import corral.workers.config.ResourceLimits;
import corral.workers.home.HomeLayout;
import corral.workers.pool.DrainGate;
import corral.workers.pool.Pool;
import corral.workers.pool.PoolUsage;
import corral.workers.proc.ProcFs;
import corral.workers.process.InstanceView;
import corral.workers.process.SetsidLauncher;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A pool's resources on real node workers: its CPU set holds every instance and their children,
 * with or without cgroups; with cgroups, its instances are in the pool's cgroup, whose CPU quota
 * holds them, whose memory ceiling kills a leaking instance inside the pool (which then restarts
 * it), and which goes away with the pool. The cgroup cases are skipped, with the reason, on a
 * machine without writable cgroups.
 */
class PoolIsolationTest {

    @RegisterExtension
    static final CorralHome HOME = new CorralHome();

    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    static final int LAST_CPU = Runtime.getRuntime().availableProcessors() - 1;

    Supervisor supervisor;

    Supervisor supervisor(Cgroups cgroups, HomeLayout home) {
        Map<String, String> env = new HashMap<>(System.getenv());
        env.putAll(HOME.env());
        supervisor = new Supervisor(home, new SetsidLauncher(), DrainGate.NONE, Clock.systemUTC(), env, cgroups);
        return supervisor;
    }

    HomeLayout newHome() throws Exception {
        return new HomeLayout(Files.createTempDirectory(HOME.path(), "home"));
    }

    @AfterEach
    void close() throws Exception {
        if (supervisor != null) {
            supervisor.close();
        }
    }

    static ResourceLimits limits(String cpus, int quotaPercent, long memoryMax) {
        return new ResourceLimits(Optional.of(CpuSet.parse(cpus)),
                quotaPercent > 0 ? OptionalInt.of(quotaPercent) : OptionalInt.empty(), OptionalInt.empty(), memoryMax);
    }

    static HttpResponse<String> get(int port, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void withoutCgroupsEveryInstanceAndItsChildrenRunOnlyOnThePoolsCpus() throws Exception {
        Supervisor s = supervisor(Cgroups.unavailable("off for this test"), newHome());
        Pool pool = s.add(TestApps.sample("h5", 2, Map.of(), 0, 5, limits(Integer.toString(LAST_CPU), 0, 0)));
        pool.start().get(20, TimeUnit.SECONDS);

        for (InstanceView i : pool.view().routable()) {
            assertEquals(Optional.of(Integer.toString(LAST_CPU)), ProcFs.cpusAllowed(i.pid()), "instance " + i.index());
            long child = new ObjectMapper().readTree(get(i.port(), "/fork").body()).path("child").asLong();
            assertEquals(Optional.of(Integer.toString(LAST_CPU)), ProcFs.cpusAllowed(child), "child of " + i.index());
        }
        assertEquals("", pool.cgroupLocation());
        assertTrue(s.cgroups().summary().startsWith(Cgroups.UNAVAILABLE), s.cgroups().summary());
        PoolUsage usage = pool.usage();
        assertFalse(usage.fromCgroup());
        awaitUsage(pool, u -> u.memoryBytes() > 10 << 20, "the instances' memory is measured from /proc");
    }

    @Test
    void withCgroupsInstancesAreInThePoolsCgroupWhoseCpuQuotaHoldsThem() throws Exception {
        HomeLayout home = newHome();
        Cgroups cgroups = Cgroups.open(home, Map.of());
        Assumptions.assumeTrue(cgroups.available(), cgroups.summary());
        Supervisor s = supervisor(cgroups, home);
        Pool pool = s.add(TestApps.sample("nuomi", 1, Map.of(), 0, 5, limits(Integer.toString(LAST_CPU), 30, 0)));
        pool.start().get(20, TimeUnit.SECONDS);
        InstanceView instance = pool.view().routable().get(0);

        String cgroup = "/" + Cgroups.parentName(home) + "/nuomi";
        assertTrue(ProcFs.cgroups(instance.pid()).stream().anyMatch(line -> line.endsWith(cgroup)),
                ProcFs.cgroups(instance.pid()).toString());
        CompletableFuture<HttpResponse<String>> burn = CompletableFuture.supplyAsync(() -> {
            try {
                return get(instance.port(), "/burn?ms=2500");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        Thread.sleep(2000);
        PoolUsage during = pool.usage();
        assertEquals(200, burn.get(20, TimeUnit.SECONDS).statusCode());
        assertTrue(during.fromCgroup(), during.toString());
        // No lower bound worth the name on a shared machine: the other processes of its CPU may take the rest.
        assertTrue(during.cpuPercent() > 2 && during.cpuPercent() < 45,
                "a busy loop limited to cpu_quota 30% uses at most about that: " + during);
    }

    @Test
    void aPoolLeakingPastItsMemoryCeilingLosesAnInstanceWhichIsRestarted() throws Exception {
        HomeLayout home = newHome();
        Cgroups cgroups = Cgroups.open(home, Map.of());
        Assumptions.assumeTrue(cgroups.available(), cgroups.summary());
        Supervisor s = supervisor(cgroups, home);
        Pool pool = s.add(TestApps.sample("nuomi", 1, Map.of(), 0, 5, limits(Integer.toString(LAST_CPU), 0, 160L << 20)));
        pool.start().get(20, TimeUnit.SECONDS);
        InstanceView victim = pool.view().routable().get(0);

        try {
            get(victim.port(), "/leak?mb=400");
        } catch (java.io.IOException killedWhileAnswering) {
            // the kernel ended it in the middle of the request: expected
        }

        SupervisorTest.await("the leaking instance is gone and another one serves", () -> pool.view().routable().stream()
                .anyMatch(i -> i.pid() != victim.pid()), Duration.ofSeconds(20));
        assertFalse(ProcFs.isAlive(victim.pid()));
        InstanceView replacement = pool.view().routable().get(0);
        assertNotEquals(victim.pid(), replacement.pid());
        assertEquals(200, get(replacement.port(), "/health").statusCode());
        awaitUsage(pool, u -> u.fromCgroup() && u.memoryBytes() < 160L << 20, "the pool stays under its ceiling");
    }

    @Test
    void deletingAPoolRemovesItsCgroupAndClosingTheSupervisorCorralsParent() throws Exception {
        HomeLayout home = newHome();
        Cgroups cgroups = Cgroups.open(home, Map.of());
        Assumptions.assumeTrue(cgroups.available(), cgroups.summary());
        Supervisor s = supervisor(cgroups, home);
        Pool pool = s.add(TestApps.sample("h5", 2, Map.of(), 0, 5, limits(Integer.toString(LAST_CPU), 50, 256L << 20)));
        pool.start().get(20, TimeUnit.SECONDS);
        List<Path> dirs = List.of(pool.cgroupLocation().split(", ")).stream().map(Path::of).toList();
        dirs.forEach(dir -> assertTrue(Files.isDirectory(dir), dir.toString()));

        s.delete("h5").get(20, TimeUnit.SECONDS);

        dirs.forEach(dir -> assertFalse(Files.exists(dir), dir + " removed with the pool"));
        s.close();
        supervisor = null;
        dirs.forEach(dir -> assertFalse(Files.exists(dir.getParent()), dir.getParent() + " removed with the supervisor"));
    }

    static void awaitUsage(Pool pool, java.util.function.Predicate<PoolUsage> condition, String what) throws Exception {
        SupervisorTest.await(what + " (" + pool.usage() + ")", () -> condition.test(pool.usage()), Duration.ofSeconds(5));
    }
}
