package corral.proxy.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import corral.fixtures.CorralHome;
import corral.fixtures.SmallDisk;
import corral.proxy.install.CorralInstall;
import corral.workers.proc.ProcFs;
import corral.workers.registry.RegistryEntry;
import corral.workers.registry.WorkerRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Corral with its whole home on a small disk that fills up: requests keep flowing, every log line
 * is either written whole or counted as dropped, logging resumes by itself when there is room,
 * every command works, and a daemon killed while its registry could not be written leaves no
 * residual worker for the next start.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FullDiskIT {

    @RegisterExtension
    static final CorralHome HOME = new CorralHome();

    private static final int REQUESTS = 40;
    private static final int LOG_LINES = 100;
    private static final Pattern ACCESS_LINE = Pattern.compile(
            "\\S+ \\S+ \\S+ \"[A-Z]+ [^\"]*\" \\d{3} \\d+ \\d+ms pool=\\S+ inst=\\S+ pid=\\S+ tries=\\d+");
    private static final Pattern REQUEST_LINE = Pattern.compile("\\S+ pid=\\d+ inst=\\d+ GET \\S+ 200 rid=\\S+");
    private static final Pattern APP_LINE = Pattern.compile("log id=[a-z] seq=\\d+ pid=\\d+ x*");

    static SmallDisk disk;
    static CorralInstall corral;

    @BeforeAll
    static void start() throws Exception {
        disk = SmallDisk.mount(HOME.path(), 8L * 1024 * 1024);
        corral = new CorralInstall(HOME, 1, 1);
        corral.ok("start");
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (corral != null && Files.exists(corral.runDir().resolve("admin.json"))) {
                corral.control("kill");
            }
        } finally {
            if (disk != null) {
                disk.close();
            }
        }
    }

    @Test
    @Order(1)
    void logLinesAreWrittenWholeOrCountedAsDroppedAndLoggingResumesWhenThereIsRoom() throws Exception {
        Phase a = Phase.run("a");
        a.awaitLoggedInFull();
        Writes before = Writes.now();
        assertEquals(0, before.accessDropped + before.instanceDropped, "nothing dropped yet: " + before);

        disk.fill();
        Phase b = Phase.run("b");
        await("every line of phase b written or counted as dropped").untilAsserted(() -> {
            Writes w = Writes.now();
            assertEquals(REQUESTS + 1, b.accessLines() + w.accessDropped, "access lines written + dropped: " + w);
            assertEquals(REQUESTS + LOG_LINES + 1, b.instanceLines() + w.instanceDropped,
                    "instance lines written + dropped: " + w);
        });
        Writes full = Writes.now();
        assertTrue(full.accessDropped > 0 && full.instanceDropped > 0, "the disk was really full: " + full);
        // (Whether it is "failing" at this moment depends on the last batch: a small one may still fit
        // in the slack of the file's last page, so it is not asserted here.)

        for (String[] command : new String[][] {{"status"}, {"offline"}, {"online"}, {"logs", "h5", "--lines", "5"},
            {"reopen-logs"}, {"check"}, {"jlist"}, {"describe", "h5"}, {"reload-conf"}}) {
            CorralInstall.Result r = corral.control(command);
            assertEquals(0, r.exit(), String.join(" ", command) + " with a full disk: " + r);
        }

        disk.free();
        Phase c = Phase.run("c");
        c.awaitLoggedInFull();
        Writes after = Writes.now();
        assertEquals(full.accessDropped, after.accessDropped, "nothing dropped once there is room");
        assertEquals(full.instanceDropped, after.instanceDropped, "nothing dropped once there is room");
        assertFalse(after.accessFailing, "the access log is written again: " + after);

        assertEveryLineWhole(access(), ACCESS_LINE, "phase=");
        assertEveryLineWhole(instanceLog(), REQUEST_LINE, "phase=");
        assertEveryLineWhole(instanceLog(), APP_LINE, " seq=");
    }

    @Test
    @Order(2)
    void aDaemonKilledWhileItsRegistryCannotBeWrittenLeavesNoResidualWorker() throws Exception {
        Set<Long> old = corral.readyPids("h5");
        disk.fill();
        Files.deleteIfExists(corral.runDir().resolve("workers.json.reserve"));
        disk.fill(); // the reserve's room too

        CorralInstall.Result reload = corral.control("reload", "h5");
        assertEquals(0, reload.exit(), reload.toString());
        Set<Long> fresh = corral.readyPids("h5");
        assertFalse(fresh.isEmpty() || fresh.equals(old), "h5 was replaced: " + old + " -> " + fresh + "\n" + reload
                + "\n" + status().toPrettyString());
        String registryError = status().path("writes").path("registryError").asText();
        assertFalse(registryError.isEmpty(), "status says the registry is stale");
        List<Long> recorded = WorkerRegistry.read(corral.runDir().resolve("workers.json")).stream()
                .map(RegistryEntry::pid).toList();
        assertFalse(recorded.containsAll(fresh), "the registry on disk missed the new worker: " + recorded);

        long daemon = Long.parseLong(Files.readString(corral.runDir().resolve("daemon.pid")).trim());
        new ProcessBuilder("kill", "-9", Long.toString(daemon)).start().waitFor();
        await("the daemon is gone").until(() -> !ProcFs.isAlive(daemon));
        disk.free();

        CorralInstall.Result start = corral.control("start");
        assertEquals(0, start.exit(), start.toString());
        for (long pid : fresh) {
            assertFalse(ProcFs.isAlive(pid), "the worker the registry missed was ended: pid " + pid + "\n" + start);
        }
    }

    @Test
    @Order(3)
    void killStopsTheDaemonWithAFullDisk() throws Exception {
        long daemon = Long.parseLong(Files.readString(corral.runDir().resolve("daemon.pid")).trim());
        Set<Long> workers = corral.readyPids("h5");
        disk.fill();

        corral.ok("kill");
        await("the daemon is gone").until(() -> !ProcFs.isAlive(daemon));
        for (long pid : workers) {
            assertFalse(ProcFs.isAlive(pid), "worker " + pid + " ended");
        }
        disk.free();
    }

    /** One round of traffic tagged with a phase name: requests, and lines logged by the app. */
    private record Phase(String name) {
        static Phase run(String name) throws Exception {
            for (int i = 0; i < REQUESTS; i++) {
                var r = CorralInstall.get(corral.h5Port, "/h5/page/p?phase=" + name + "&i=" + i);
                assertEquals(200, r.statusCode(), "request " + i + " of phase " + name);
            }
            var log = CorralInstall.get(corral.h5Port, "/h5/log?n=" + LOG_LINES + "&id=" + name);
            assertEquals(200, log.statusCode());
            return new Phase(name);
        }

        /** The phase's request lines and the line of its /log request. */
        /** Waits until every line of the phase is in the files: its requests', its app's, its /log request's. */
        void awaitLoggedInFull() {
            await("phase " + name + " logged in full").untilAsserted(() -> {
                assertEquals(REQUESTS + 1, accessLines(), "access lines");
                assertEquals(REQUESTS + LOG_LINES + 1, instanceLines(), "instance lines");
            });
        }

        long accessLines() throws IOException {
            return access().stream().filter(l -> l.contains("phase=" + name + "&") || l.contains("&id=" + name + "\""))
                    .count();
        }

        /** The phase's request lines, its app lines, and the line of its /log request. */
        long instanceLines() throws IOException {
            return instanceLog().stream().filter(l -> l.contains("phase=" + name + "&") || l.startsWith("log id=" + name + " ")
                    || l.contains("&id=" + name + " ")).count();
        }
    }

    /** What status says could not be written. */
    private record Writes(long accessDropped, boolean accessFailing, long instanceDropped) {
        static Writes now() throws Exception {
            JsonNode w = status().path("writes");
            return new Writes(w.path("accessLogDropped").asLong(), w.path("accessLogFailing").asBoolean(),
                    w.path("instanceLogLinesDropped").asLong());
        }
    }

    private static ConditionFactory await(String what) {
        return Awaitility.await(what).atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100));
    }

    private static JsonNode status() throws Exception {
        return corral.status();
    }

    private static List<String> access() throws IOException {
        return lines(corral.logDir().resolve("access.log"));
    }

    private static List<String> instanceLog() throws IOException {
        return lines(corral.logDir().resolve("h5-out-0.log"));
    }

    private static List<String> lines(Path file) throws IOException {
        return Files.exists(file) ? List.of(Files.readString(file, StandardCharsets.UTF_8).split("\n")) : List.of();
    }

    private static void assertEveryLineWhole(List<String> lines, Pattern whole, String marker) {
        for (String line : lines) {
            if (line.contains(marker)) {
                assertTrue(whole.matcher(line).matches(), "a line cut or mixed: " + line);
            }
        }
    }

}
