package corral.proxy.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import corral.fixtures.CorralHome;
import corral.fixtures.ProcessLeaks;
import corral.fixtures.LoadGenerator;
import corral.fixtures.LoadResult;
import corral.proxy.install.CorralInstall;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The daemon end to end, driven through {@code bin/control} as an operator drives it, with real
 * node workers and real listeners. The tests share one daemon and run in order, as a release does.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ControlCommandsIT {

    @RegisterExtension
    static final CorralHome HOME = new CorralHome();

    static CorralInstall corral;

    @BeforeAll
    static void start() throws Exception {
        corral = new CorralInstall(HOME, 2, 4);
        corral.ok("start");
    }

    @AfterAll
    static void kill() throws Exception {
        if (corral != null) {
            corral.control("kill");
        }
    }


    static JsonNode status() throws Exception {
        return corral.status();
    }

    static Set<Long> pids(String app) throws Exception {
        return corral.readyPids(app);
    }

    @Test
    @Order(1)
    void startServesEveryAppOnItsPortAndThroughTheVhostRules() throws Exception {
        assertEquals(2, pids("nuomi").size());
        assertEquals(4, pids("h5").size());
        assertEquals(200, CorralInstall.get(corral.nuomiPort, "/nuomi/component/x").statusCode());
        assertEquals(200, CorralInstall.get(corral.h5Port, "/h5/page/x").statusCode());
        HttpResponse<String> rewritten = CorralInstall.get(corral.vhostPort, "/m/x");
        assertEquals(200, rewritten.statusCode());
        assertTrue(rewritten.body().contains("h5 page x"), rewritten.body());
        assertEquals("ok", CorralInstall.get(corral.vhostPort, "/ngx-ok").body());
        for (int port : new int[] {corral.h5Port, corral.vhostPort}) {
            HttpResponse<String> health = CorralInstall.get(port, "/health");
            assertEquals(200, health.statusCode(), health.body());
            assertTrue(health.body().contains("h5 4/4 ready"), health.body());
        }
        HttpResponse<String> nuomi = CorralInstall.get(corral.nuomiPort, "/health");
        assertEquals(200, nuomi.statusCode(), nuomi.body());
        assertEquals("ok\nnuomi 2/2 ready\n", nuomi.body(), "an app's port answers for its app alone");
    }

    @Test
    @Order(2)
    void aWrongAppOrCommandIsAClearErrorAndANonZeroExit() throws Exception {
        CorralInstall.Result r = corral.control("reload", "h6");
        assertEquals(1, r.exit(), r.toString());
        assertTrue(r.err().contains("no app named 'h6' (apps: nuomi, h5)"), r.toString());
        CorralInstall.Result bad = corral.control("relaod", "h5");
        assertEquals(2, bad.exit(), bad.toString());
        assertTrue(bad.err().contains("unknown command 'relaod'"), bad.toString());
    }

    @Test
    @Order(3)
    void theAdminApiRefusesARequestWithoutTheToken() throws Exception {
        HttpResponse<String> r = CorralInstall.HTTP.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + corral.adminPort() + "/v1/offline"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(401, r.statusCode());
        assertEquals(200, CorralInstall.get(corral.h5Port, "/health").statusCode(), "the unauthorised offline did nothing");
        assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(corral.runDir().resolve("token"))));
    }

    @Test
    @Order(4)
    void offlineTurnsTheProbeTo503WhileTrafficIsStillServedAndOnlineTurnsItBack() throws Exception {
        assertEquals(0, corral.control("offline").exit());
        assertEquals(503, CorralInstall.get(corral.vhostPort, "/health").statusCode());
        assertEquals(200, CorralInstall.get(corral.vhostPort, "/h5/page/x").statusCode());
        assertEquals(0, corral.control("online").exit());
        assertEquals(200, CorralInstall.get(corral.vhostPort, "/health").statusCode());
    }

    @Test
    @Order(5)
    void reloadUnderLoadReplacesEveryH5InstanceWithoutAFailedRequest() throws Exception {
        Set<Long> nuomiBefore = pids("nuomi");
        Set<Long> h5Before = pids("h5");
        LoadGenerator load = reloadLoad();
        CompletableFuture<LoadResult> running = load.start();
        awaitIssued(load, 500);

        CorralInstall.Result reload = corral.control("reload", "h5");

        awaitIssued(load, 5000);
        load.stop();
        LoadResult result = running.get();
        assertEquals(0, reload.exit(), reload.toString());
        assertTrue(reload.out().contains("h5: instance 4/4 ready"), reload.toString());
        assertEquals(0, result.failed(), result.summary());
        assertTrue(result.total() >= 5000, result.summary());
        Set<Long> h5After = pids("h5");
        assertEquals(4, h5After.size());
        assertTrue(java.util.Collections.disjoint(h5Before, h5After), "every h5 instance was replaced");
        assertEquals(nuomiBefore, pids("nuomi"), "nuomi untouched");
    }

    @Test
    @Order(6)
    void aBrokenReleaseFailsTheReloadAndTheOldInstancesKeepServing() throws Exception {
        Set<Long> h5Before = pids("h5");
        Path broken = corral.release.resolve("BROKEN_RELEASE");
        Files.writeString(broken, "simulated bad release\n");
        try {
            LoadGenerator load = reloadLoad();
            CompletableFuture<LoadResult> running = load.start();
            awaitIssued(load, 300);

            CorralInstall.Result reload = corral.control("reload", "h5");

            awaitIssued(load, 2000);
            load.stop();
            LoadResult result = running.get();
            assertEquals(1, reload.exit(), reload.toString());
            assertTrue(reload.err().contains("reload of h5 stopped"), reload.toString());
            assertTrue(reload.err().contains("BROKEN_RELEASE"), "names the app's own error: " + reload);
            assertEquals(0, result.failed(), result.summary());
            assertEquals(h5Before, pids("h5"), "the old instances still serve");
        } finally {
            Files.deleteIfExists(broken);
        }
    }

    @Test
    @Order(7)
    void reloadConfAppliesAValidChangeAndRefusesAnInvalidOneChangingNothing() throws Exception {
        corral.writeConf(3, 4, "");
        corral.ok("reload-conf");
        assertEquals(3, pids("nuomi").size());

        String good = Files.readString(corral.conf);
        Files.writeString(corral.conf, good.replace("\"instances\": \"4\"", "\"instances\": \"four\""));
        try {
            Set<Long> before = pids("h5");
            CorralInstall.Result bad = corral.control("reload-conf");
            assertEquals(1, bad.exit(), bad.toString());
            assertTrue(bad.err().contains("pm2.json:") && bad.err().contains("instances"), bad.toString());
            assertEquals(before, pids("h5"));
            assertEquals(200, CorralInstall.get(corral.h5Port, "/h5/page/x").statusCode());
        } finally {
            Files.writeString(corral.conf, good);
        }
    }

    @Test
    @Order(8)
    void stopTakesOneAppDownWithoutTouchingTheOther() throws Exception {
        Set<Long> nuomi = pids("nuomi");
        assertEquals(0, corral.control("stop", "h5").exit());
        assertEquals(Set.of(), pids("h5"));
        assertEquals(503, CorralInstall.get(corral.h5Port, "/h5/page/x").statusCode());
        assertEquals(503, CorralInstall.get(corral.vhostPort, "/health").statusCode(), "a pool with no ready instance fails the probe");
        assertEquals(nuomi, pids("nuomi"));
        assertEquals(200, CorralInstall.get(corral.nuomiPort, "/nuomi/component/x").statusCode());
        corral.ok("start", "h5");
        assertEquals(4, pids("h5").size());
    }

    @Test
    @Order(9)
    void afterKill9OfTheDaemonTheNextStartEndsItsWorkers() throws Exception {
        Set<Long> old = new HashSet<>(pids("h5"));
        old.addAll(pids("nuomi"));
        long daemon = corral.daemonPid();
        new ProcessBuilder("kill", "-9", Long.toString(daemon)).start().waitFor();
        Awaitility.await("the killed daemon is gone").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
                .until(() -> !ProcessHandle.of(daemon).map(ProcessHandle::isAlive).orElse(false));

        CorralInstall.Result r = corral.ok("start");
        assertTrue(r.out().contains("ended residual worker"), r.toString());
        for (long pid : old) {
            assertFalse(ProcessLeaks.isRunning(pid), "old worker " + pid + " still alive");
        }
        assertNotEquals(old, pids("h5"));
        assertEquals(200, CorralInstall.get(corral.h5Port, "/h5/page/x").statusCode());
    }

    /** GETs and POSTs, keep-alive and not, some slow, through the app port and the vhost port. */
    static LoadGenerator reloadLoad() {
        String app = "http://127.0.0.1:" + corral.h5Port;
        String vhost = "http://127.0.0.1:" + corral.vhostPort;
        return LoadGenerator.builder()
                .get(app + "/h5/page/a", 4)
                .get(vhost + "/h5/page/b", 4)
                .get(vhost + "/m/c", 2)
                .post(vhost + "/h5/echo", "x".repeat(2048).getBytes(), 2)
                .post(app + "/h5/echo", "y".repeat(512).getBytes(), 1)
                .get(app + "/h5/slow?ms=600", 1)
                .connectionClose(0.3)
                .concurrency(12)
                .requests(1_000_000)
                .duration(Duration.ofSeconds(120))
                .timeout(Duration.ofSeconds(20))
                .check(LoadGenerator.is2xxFromWorker())
                .build();
    }

    static void awaitIssued(LoadGenerator load, long n) {
        Awaitility.await(n + " requests issued").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(20))
                .until(() -> load.issued() >= n);
    }
}
