package corral.proxy.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import corral.fixtures.CorralHome;
import corral.fixtures.LoadGenerator;
import corral.fixtures.LoadResult;
import corral.fixtures.TestHttp;
import corral.proxy.install.PackagedDaemon;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A release rolled across a fleet behind a VIP, with the shipped tools: three Corral hosts on
 * this machine (three homes, their own free ports), a real HAProxy from
 * {@code deploy/haproxy/haproxy.cfg} in front of them, and the playbooks of {@code deploy/ansible}
 * run by {@code ansible-playbook}, while a load generator sends requests through HAProxy for the
 * whole play and counts every failure. The tests share the fleet and run in order, as releases do.
 */
@ExtendWith(PackagedDaemon.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FleetReleaseIT {

    @RegisterExtension
    static final CorralHome HOME1 = new CorralHome();
    @RegisterExtension
    static final CorralHome HOME2 = new CorralHome();
    @RegisterExtension
    static final CorralHome HOME3 = new CorralHome();
    /** Where HAProxy, Ansible and the release tarball live: the operator's machine. */
    @RegisterExtension
    static final CorralHome CONTROLLER = new CorralHome();

    /** HAProxy's checks, short for a test: a host is out after 2 x 300 ms of 503, back after 2 x 300 ms of 200. */
    static final int INTER_MS = 300;
    static final int FALL = 2;
    static final int RISE = 2;
    /** The play's waits, from the checks as docs/operations.md says: at least (fall + 1) and (rise + 1) x inter. */
    static final Map<String, String> TIMINGS = Map.of("corral_drain_seconds", "2", "corral_rise_seconds", "2");

    static List<FleetHost> hosts;
    static HaproxyVip vip;
    static AnsiblePlay ansible;

    /** What one play under load left: its exit and output, the load's tally, the watch's samples. */
    record Rollout(AnsiblePlay.Result play, LoadResult load, FleetWatch watch) {
    }

    @BeforeAll
    static void startFleet() throws Exception {
        for (String command : List.of("haproxy", "ansible-playbook", "tar")) {
            assertTrue(onPath(command), command + " is not installed: bin/test installs it (apt-get install haproxy ansible-core)");
        }
        hosts = new ArrayList<>();
        // Each host picks its free ports only once the hosts before it run: a daemon binds its admin
        // API to an ephemeral port at start, which took host3's pre-picked port in one run.
        for (CorralHome home : List.of(HOME1, HOME2, HOME3)) {
            FleetHost host = new FleetHost("host" + (hosts.size() + 1), home);
            hosts.add(host);
            host.start();
        }
        vip = HaproxyVip.start(CONTROLLER, hosts, INTER_MS, FALL, RISE);
        ansible = new AnsiblePlay(CONTROLLER, hosts);
    }

    @AfterAll
    static void stopFleet() throws Exception {
        if (vip != null) {
            vip.close();
        }
        if (hosts != null) {
            for (FleetHost host : hosts) {
                host.corral.kill();
            }
        }
    }

    @Test
    @Order(1)
    void aReleaseRollsHostByHostOutOfTheVipWithoutAFailedRequest() throws Exception {
        Path tarball = tarball("v2");
        Map<String, Set<Long>> before = h5Pids();

        Rollout r = underLoad("release.yml", Map.of("corral_app", "h5", "corral_release", tarball.toString()));

        assertEquals(0, r.play().exit(), r.play().toString());
        assertEquals(0, r.load().failed(), r.load().summary());
        Instant previousEnd = Instant.MIN;
        for (FleetHost host : hosts) {
            Map<Long, String> after = host.h5Releases();
            assertEquals(2, after.size(), host + ": " + after);
            assertTrue(Collections.disjoint(before.get(host.name), after.keySet()),
                    host + ": every h5 instance replaced: before " + before.get(host.name) + ", after " + after);
            assertEquals(Set.of("v2"), new HashSet<>(after.values()), host + " runs the new release");
            assertEquals("v2", host.linkedRelease());
            Instant[] reload = outOfTheVipWhileReloading(r.watch(), host, before.get(host.name), after.keySet());
            assertTrue(previousEnd.isBefore(reload[0]), host + " reloaded only after the host before it had finished");
            previousEnd = reload[1];
        }
        assertEquals(List.of(), r.watch().errors());
    }

    @Test
    @Order(2)
    void aBrokenReleaseStopsThePlayAtTheSecondHostAndTheFleetKeepsServing() throws Exception {
        for (FleetHost host : hosts) {
            host.addRelease("v3", host.name.equals("host2"));
        }
        Map<String, Set<Long>> before = h5Pids();

        Rollout r = underLoad("release.yml", Map.of("corral_app", "h5", "corral_release", "v3"));

        assertNotEquals(0, r.play().exit(), r.play().toString());
        String out = r.play().output();
        assertTrue(out.contains("host2: Reload h5 failed") && out.contains("reload of h5 stopped")
                && out.contains("BROKEN_RELEASE"), "the play names the host and its reason:\n" + out);
        assertFalse(out.contains("[host3]"), "the play never reached host3:\n" + out);
        assertEquals(0, r.load().failed(), r.load().summary());

        FleetHost host1 = hosts.get(0);
        assertEquals(Set.of("v3"), new HashSet<>(host1.h5Releases().values()), "host1 is on the new release");
        assertEquals("v3", host1.linkedRelease());
        for (FleetHost host : hosts.subList(1, 3)) {
            Map<Long, String> after = host.h5Releases();
            assertEquals(before.get(host.name), after.keySet(), host + " still runs its old instances");
            assertEquals(Set.of("v2"), new HashSet<>(after.values()), host + " is on the old release");
            assertEquals("v2", host.linkedRelease(), host + "'s release link is back on the old release");
        }
        assertTrue(r.watch().statuses("host2").stream().anyMatch(s -> !HaproxyVip.inService(s)),
                "host2 left the VIP before its reload: " + r.watch().statuses("host2"));
        assertTrue(r.watch().statuses("host3").stream().allMatch(HaproxyVip::inService),
                "host3 never left the VIP: " + r.watch().statuses("host3"));
        for (FleetHost host : hosts) {
            assertEquals(200, TestHttp.get(URI.create("http://127.0.0.1:" + host.corral.vhostPort + "/h5/page/x")).statusCode(),
                    host + " serves");
        }
        assertEquals(List.of(), r.watch().errors());
    }

    @Test
    @Order(3)
    void theRollbackPlayTakesTheFleetBackWithoutAFailedRequest() throws Exception {
        Set<Long> host1Before = h5Pids().get("host1");

        Rollout r = underLoad("rollback.yml", Map.of("corral_app", "h5", "corral_release", "v2"));

        assertEquals(0, r.play().exit(), r.play().toString());
        assertEquals(0, r.load().failed(), r.load().summary());
        for (FleetHost host : hosts) {
            assertEquals(Set.of("v2"), new HashSet<>(host.h5Releases().values()), host + " is back on v2");
            assertEquals("v2", host.linkedRelease());
        }
        assertTrue(Collections.disjoint(host1Before, hosts.get(0).h5Releases().keySet()), "host1's v3 instances were replaced");
        assertEquals(List.of(), r.watch().errors());
    }

    /**
     * Asserts from the samples that {@code host} left the VIP before its first new instance started
     * and stayed out until its last old instance stopped being ready; returns that span.
     */
    static Instant[] outOfTheVipWhileReloading(FleetWatch watch, FleetHost host, Set<Long> oldPids, Set<Long> newPids) {
        Instant start = watch.firstStart(host.name, newPids)
                .orElseThrow(() -> new AssertionError(host + ": no new instance was ever seen"));
        Instant end = watch.lastReady(host.name, oldPids)
                .orElseThrow(() -> new AssertionError(host + ": no old instance was ever seen ready"));
        FleetWatch.VipSample atStart = watch.lastBefore(start)
                .orElseThrow(() -> new AssertionError(host + ": HAProxy was not watched before the reload"));
        assertFalse(HaproxyVip.inService(atStart.servers().get(host.name)),
                host + " was still in the VIP when its first new instance started at " + start + ": " + atStart);
        for (FleetWatch.VipSample s : watch.between(start, end)) {
            assertFalse(HaproxyVip.inService(s.servers().get(host.name)), host + " was back in the VIP during its reload: " + s);
        }
        return new Instant[] {start, end};
    }

    /** Runs a play while the load generator sends through HAProxy; ends once every host is back in the VIP. */
    static Rollout underLoad(String playbook, Map<String, String> vars) throws Exception {
        Map<String, String> all = new LinkedHashMap<>(TIMINGS);
        all.putAll(vars);
        LoadGenerator load = load();
        FleetWatch watch = new FleetWatch(vip, hosts);
        try {
            CompletableFuture<LoadResult> running = load.start();
            load.awaitIssued(50, Duration.ofSeconds(60));
            AnsiblePlay.Result play = ansible.run(playbook, all);
            vip.awaitAllUp(hosts.size(), Duration.ofSeconds(60));
            load.awaitIssued(load.issued() + 50, Duration.ofSeconds(60));
            load.stop();
            LoadResult result = running.get(60, TimeUnit.SECONDS);
            System.out.println(playbook + " " + vars + ": exit " + play.exit() + " in " + play.elapsed().toSeconds()
                    + " s; load through HAProxy: " + result.summary());
            return new Rollout(play, result, watch);
        } finally {
            load.stop();
            watch.close();
        }
    }

    /** Pages, components and bodies through HAProxy, a third of them slow enough to be in flight at offline. */
    static LoadGenerator load() {
        String base = "http://127.0.0.1:" + vip.port;
        return LoadGenerator.builder()
                .get(base + "/h5/page/a", 2)
                .get(base + "/h5/slow?ms=200", 2)
                .get(base + "/nuomi/component/b", 1)
                .post(base + "/h5/echo", "x".repeat(1024).getBytes(), 1)
                .concurrency(4)
                .requests(2_000_000)
                .duration(Duration.ofMinutes(12))
                .timeout(Duration.ofSeconds(20))
                .check(LoadGenerator.is2xxFromWorker())
                .build();
    }

    static Map<String, Set<Long>> h5Pids() throws IOException, InterruptedException {
        Map<String, Set<Long>> out = new LinkedHashMap<>();
        for (FleetHost host : hosts) {
            out.put(host.name, host.h5Releases().keySet());
        }
        return out;
    }

    /** The release tarball {@code name}.tar.gz: the sample app at its top level, as a build would pack it. */
    static Path tarball(String name) throws IOException, InterruptedException {
        Path dir = Files.createDirectories(CONTROLLER.path().resolve("build").resolve(name));
        Files.copy(corral.fixtures.SampleApp.appJs(), dir.resolve("app.js"));
        Path tarball = CONTROLLER.path().resolve(name + ".tar.gz");
        Process tar = CONTROLLER.applyTo(new ProcessBuilder("tar", "-C", dir.toString(), "-czf", tarball.toString(), "app.js"))
                .inheritIO().start();
        assertEquals(0, tar.waitFor(), "tar of " + name);
        return tarball;
    }

    static boolean onPath(String command) throws IOException, InterruptedException {
        return new ProcessBuilder("sh", "-c", "command -v " + command).start().waitFor() == 0;
    }
}
