package corral.proxy.daemon;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import corral.fixtures.CorralHome;
import corral.fixtures.FreePorts;
import corral.fixtures.ProcessLeaks;
import corral.proxy.install.CorralInstall;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The rest of the operator's commands, end to end through bin/control against one daemon. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OperatorCommandsIT {

    @RegisterExtension
    static final CorralHome HOME = new CorralHome();

    static CorralInstall corral;

    @BeforeAll
    static void start() throws Exception {
        corral = new CorralInstall(HOME, 1, 2);
        // As from a deploy script under nohup: the daemon must still reload on SIGHUP (test 6).
        corral.hangupIgnored = true;
        corral.ok("start");
    }

    @AfterAll
    static void kill() throws Exception {
        if (corral != null) {
            corral.ok("kill");
        }
    }


    static Set<Long> pids(String app) throws Exception {
        return corral.readyPids(app);
    }

    static long daemonPid() throws Exception {
        return Long.parseLong(Files.readString(corral.runDir().resolve("daemon.pid")).trim());
    }

    @Test
    @Order(1)
    void everyCommandHasHelpAndStatusShowsATable() throws Exception {
        for (String command : new String[] {"start", "stop", "restart", "reload", "delete", "scale", "status", "logs",
            "reload-conf", "offline", "online", "reopen-logs", "kill", "check"}) {
            CorralInstall.Result r = corral.ok(command, "--help");
            assertTrue(r.out().startsWith("usage: bin/control " + command), r.toString());
        }
        CorralInstall.Result status = corral.control("status");
        assertEquals(0, status.exit(), status.toString());
        assertTrue(status.out().lines().findFirst().orElse("").startsWith("app "), status.out());
        assertTrue(status.out().contains("h5: 2/2 ready, public port " + corral.h5Port), status.out());
    }

    @Test
    @Order(2)
    void restartReplacesEveryInstanceOfOneAppOnly() throws Exception {
        Set<Long> nuomi = pids("nuomi");
        Set<Long> h5 = pids("h5");
        corral.ok("restart", "h5");
        assertTrue(java.util.Collections.disjoint(h5, pids("h5")));
        assertEquals(2, pids("h5").size());
        assertEquals(nuomi, pids("nuomi"));
    }

    @Test
    @Order(3)
    void scaleUpAndDown() throws Exception {
        assertEquals(0, corral.control("scale", "nuomi", "3").exit());
        assertEquals(3, pids("nuomi").size());
        assertEquals(0, corral.control("scale", "nuomi", "1").exit());
        assertEquals(1, pids("nuomi").size());
        CorralInstall.Result bad = corral.control("scale", "nuomi", "lots");
        assertEquals(2, bad.exit(), bad.toString());
        assertTrue(bad.err().contains("'lots' is not a whole number"), bad.toString());
    }

    @Test
    @Order(4)
    void reloadConfPutsAScaledPoolBackToTheFilesCount() throws Exception {
        assertEquals(0, corral.control("scale", "nuomi", "2").exit());
        assertEquals(2, pids("nuomi").size());

        CorralInstall.Result r = corral.control("reload-conf"); // the file still says 1

        assertEquals(0, r.exit(), r.toString());
        assertTrue(r.out().contains("~ nuomi: instances 2 -> 1: scaling"), r.toString());
        assertEquals(1, pids("nuomi").size());
        CorralInstall.Result status = corral.control("status");
        assertTrue(status.out().contains("nuomi: 1/1 ready"), status.out());
    }

    @Test
    @Order(5)
    void logsShowEachInstanceFileAndReopenLogsStartsNewFilesAfterRotation() throws Exception {
        assertEquals(200, CorralInstall.get(corral.h5Port, "/h5/page/before-rotation").statusCode());
        CorralInstall.Result logs = corral.control("logs", "h5", "--lines", "50");
        assertEquals(0, logs.exit(), logs.toString());
        assertTrue(logs.out().contains("h5-out-0.log") && logs.out().contains("h5-out-1.log"), logs.out());

        Path access = corral.logDir().resolve("access.log");
        Path rotated = corral.logDir().resolve("access.log.1");
        // The access log flushes every second: the old request is in the file before it moves.
        awaitFile(access, "before-rotation", "the access log has the request before the rotation");
        Files.move(access, rotated);
        assertEquals(0, corral.control("reopen-logs").exit());
        assertEquals(200, CorralInstall.get(corral.h5Port, "/h5/page/after-rotation").statusCode());
        awaitFile(access, "after-rotation", "new access.log has the new request");
        assertTrue(Files.readString(rotated).contains("before-rotation"));
        assertFalse(Files.readString(rotated).contains("after-rotation"));
    }

    @Test
    @Order(6)
    void sighupReloadsTheConfigurationLikeReloadConf() throws Exception {
        corral.writeConf(2, 2, "");
        long daemon = daemonPid();
        Process kill = new ProcessBuilder("kill", "-HUP", Long.toString(daemon)).redirectErrorStream(true).start();
        assertEquals(0, kill.waitFor(), "kill -HUP " + daemon + ": " + new String(kill.getInputStream().readAllBytes()));
        // Waits for the event, not for a time: the handler logs "SIGHUP: received" at once and
        // "SIGHUP: <outcome>" when the reload-conf it queued has ended (a new node instance started).
        Path log = corral.logDir().resolve("corral.log");
        assertFalse(Files.readString(log).contains("SIGHUP was ignored"), "bin/control start resets an ignored SIGHUP");
        String outcome = await("the SIGHUP's reload-conf to end").atMost(Duration.ofMinutes(2))
                .until(() -> Files.readAllLines(log).stream()
                        .filter(l -> l.contains("SIGHUP: ") && !l.contains("SIGHUP: received")).findFirst(),
                        Optional::isPresent).get();
        assertFalse(outcome.contains("failed"), outcome);
        assertEquals(2, pids("nuomi").size(), outcome);
    }

    @Test
    @Order(7)
    void deleteForgetsTheAppUntilItIsStartedAgain() throws Exception {
        Set<Long> h5 = pids("h5");
        corral.ok("delete", "h5");
        CorralInstall.Result status = corral.control("status", "--json");
        assertFalse(status.out().contains("\"name\" : \"h5\""), status.out());
        for (long pid : h5) {
            assertFalse(ProcessLeaks.isRunning(pid));
        }
        assertEquals(503, CorralInstall.get(corral.h5Port, "/h5/page/x").statusCode());
        assertEquals(0, corral.control("start", "h5").exit());
        assertEquals(2, pids("h5").size());
        assertEquals(200, CorralInstall.get(corral.h5Port, "/h5/page/x").statusCode());
    }

    @Test
    @Order(8)
    void reloadConfKeepsALimitZoneWhoseNameSizeAndKeyStay() throws Exception {
        int port = FreePorts.pick(1)[0];
        Path limit = corral.vhost.resolve("limit.conf");
        String vhost = """
                limit_req_zone KEY zone=one:SIZE rate=RATE;
                server { listen PORT; location / { limit_req zone=one; proxy_pass http://nuomi; } }
                """.replace("PORT", Integer.toString(port));
        Files.writeString(limit, vhost.replace("KEY", "$remote_addr").replace("SIZE", "1m").replace("RATE", "1r/m"));
        CorralInstall.Result r = corral.ok("reload-conf");
        assertEquals(200, CorralInstall.get(port, "/nuomi/component/x").statusCode());
        assertEquals(503, CorralInstall.get(port, "/nuomi/component/x").statusCode());

        // the same zone (1024k is 1m) under another rate: the key is still over its limit, as in nginx
        Files.writeString(limit, vhost.replace("KEY", "$remote_addr").replace("SIZE", "1024k").replace("RATE", "2r/m"));
        r = corral.control("reload-conf");
        assertEquals(0, r.exit(), r.toString());
        assertEquals(503, CorralInstall.get(port, "/nuomi/component/x").statusCode());

        // another key under the same name and size: refused, nothing changes
        Files.writeString(limit, vhost.replace("KEY", "$binary_remote_addr").replace("SIZE", "1m").replace("RATE", "2r/m"));
        r = corral.control("reload-conf");
        assertTrue(r.exit() != 0, r.toString());
        assertTrue(r.toString().contains("limit_req \"one\" uses the \"$binary_remote_addr\" key while previously it used"
                + " the \"$remote_addr\" key"), r.toString());
        assertEquals(503, CorralInstall.get(port, "/nuomi/component/x").statusCode());

        Files.delete(limit);
        assertEquals(0, corral.control("reload-conf").exit());
    }

    /** Waits until {@code file} exists and holds {@code text} (bounds for a starved machine). */
    private static void awaitFile(Path file, String text, String message) {
        Awaitility.await(message).atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).ignoreExceptions()
                .untilAsserted(() -> assertTrue(Files.readString(file).contains(text), message));
    }
}
