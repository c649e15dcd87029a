package corral.dist;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import corral.fixtures.CorralHome;
import corral.fixtures.ProcessLeaks;
import java.nio.file.Files;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The release package on a host with a Java runtime and node and nothing else: unpacked in a
 * temporary directory, run with a PATH without Maven and away from any source tree, the shipped
 * conf (scaled to this machine) starts, every command answers, and {@code kill} leaves nothing.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ReleasePackageIT {

    @RegisterExtension
    static CorralHome home = new CorralHome();

    static UnpackedRelease release;

    @BeforeAll
    static void unpack() throws Exception {
        release = new UnpackedRelease(home);
        release.fitShippedConf(2, 2, "");
    }

    @AfterAll
    static void killWhatIsLeft() throws Exception {
        release.kill();
    }

    @Test
    @Order(1)
    void holdsJarsBinConfDocsAndAReadmeUnderOneTopDirectory() throws Exception {
        List<String> entries = release.listing();
        String top = release.topDirectory + "/";
        assertTrue(release.topDirectory.matches("corral-\\d+\\.\\d+\\.\\d+.*"), release.topDirectory);
        assertTrue(entries.stream().allMatch(e -> e.startsWith(top)), "every entry under " + top + ": " + entries);
        for (String expected : List.of("bin/control", "bin/h5_restart.sh", "bin/nuomi_restart.sh", "conf/pm2.json",
                "conf/corral.properties", "conf/vhost/default.conf", "conf/logrotate.d/corral", "docs/operations.md",
                "README.md", "test-fixtures/app/app.js")) {
            assertTrue(entries.contains(top + expected), expected + " in " + entries);
        }
        assertTrue(entries.stream().anyMatch(e -> e.matches(top + "lib/corral-proxy-.*\\.jar")), "the daemon jar");
        assertTrue(entries.stream().anyMatch(e -> e.matches(top + "lib/undertow-core-.*\\.jar")), "its libraries");
        assertTrue(entries.stream().noneMatch(e -> e.endsWith("pom.xml") || e.contains("/src/")), "no source tree");
        assertTrue(Files.isExecutable(release.root.resolve("bin/control")), "bin/control is executable");
    }

    @Test
    @Order(2)
    void thePathOfTheseTestsHasNoMaven() throws Exception {
        UnpackedRelease.Result which = release.run(List.of("bash", "-c", "command -v mvn || echo none"), release.env());
        assertEquals("none", which.out().trim(), which.toString());
        UnpackedRelease.Result tools = release.run(List.of("bash", "-c", "command -v java && command -v node"), release.env());
        assertEquals(0, tools.exit(), "java and node stay on the PATH: " + tools);
    }

    @Test
    @Order(3)
    void startsTheShippedConfWithoutMavenAndWithoutBuilding() throws Exception {
        UnpackedRelease.Result check = release.control("check");
        assertEquals(0, check.exit(), check.toString());
        UnpackedRelease.Result start = release.control("start");
        assertEquals(0, start.exit(), start.toString());
        assertFalse(start.err().contains("building"), "nothing is built: " + start);
        JsonNode status = release.status();
        assertEquals(2, UnpackedRelease.readyPids(status, "nuomi").size(), status.toString());
        assertEquals(2, UnpackedRelease.readyPids(status, "h5").size(), status.toString());
        assertEquals(200, UnpackedRelease.get(release.vhostPort, "/m/hello").statusCode(), "the shipped rules route /m/ to h5");
        assertEquals(200, UnpackedRelease.get(release.nuomiPort, "/nuomi/component/x").statusCode());
        assertEquals(200, UnpackedRelease.get(release.h5Port, "/health").statusCode());
        assertFalse(Files.exists(release.root.resolve("proxy")) || Files.exists(release.root.resolve("target")),
                "no build output in the package");
    }

    @Test
    @Order(4)
    void corralHomeDefaultsToTheUnpackedDirectory() throws Exception {
        Map<String, String> withoutHome = new HashMap<>(release.env());
        withoutHome.remove(CorralHome.VARIABLE);
        UnpackedRelease.Result status = release.controlWith(withoutHome, "status", "--json");
        assertEquals(0, status.exit(), "the client finds the daemon of the unpacked directory: " + status);
        assertEquals(2, UnpackedRelease.readyPids(UnpackedRelease.JSON.readTree(status.out()), "h5").size());
    }

    @Test
    @Order(5)
    void everyCommandWorks() throws Exception {
        Set<Long> before = UnpackedRelease.readyPids(release.status(), "h5");
        UnpackedRelease.Result reload = release.run(List.of(release.root.resolve("bin/h5_restart.sh").toString()), release.env());
        assertEquals(0, reload.exit(), reload.toString());
        Set<Long> after = UnpackedRelease.readyPids(release.status(), "h5");
        assertEquals(2, after.size());
        assertTrue(after.stream().noneMatch(before::contains), "every h5 instance replaced: " + before + " -> " + after);

        for (List<String> command : List.of(List.of("reload", "nuomi"), List.of("scale", "nuomi", "3"),
                List.of("reload-conf"), List.of("metrics"), List.of("logs", "h5", "--lines", "5"),
                List.of("offline"), List.of("online"), List.of("reopen-logs"), List.of("restart", "h5"), List.of("stop", "nuomi"),
                List.of("start", "nuomi"))) {
            UnpackedRelease.Result r = release.control(command.toArray(String[]::new));
            assertEquals(0, r.exit(), command + ": " + r);
        }
        assertEquals(2, UnpackedRelease.readyPids(release.status(), "nuomi").size(), "reload-conf set nuomi back to the file's 2");

        UnpackedRelease.Result unit = release.control("startup");
        assertEquals(0, unit.exit(), unit.toString());
        assertTrue(unit.out().contains("ExecStart=" + release.root.resolve("bin/control") + " daemon"), unit.out());
    }

    @Test
    @Order(6)
    void killLeavesNothingBehind() throws Exception {
        long daemon = release.daemonPid();
        assertTrue(ProcessLeaks.isRunning(daemon), "the daemon of run/admin.json runs");
        UnpackedRelease.Result kill = release.control("kill");
        assertEquals(0, kill.exit(), kill.toString());
        assertFalse(ProcessLeaks.isRunning(daemon), "kill returns once the daemon is gone");
        await().atMost(Duration.ofSeconds(30)).until(() -> ProcessLeaks.find(home.path().toString()).isEmpty());
        assertFalse(Files.exists(release.root.resolve("run/admin.json")), "the admin endpoint is gone");
    }
}
