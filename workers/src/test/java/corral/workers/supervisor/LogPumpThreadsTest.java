package corral.workers.supervisor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import corral.fixtures.CorralHome;
import corral.workers.home.HomeLayout;
import corral.workers.pool.DrainGate;
import corral.workers.process.InstanceView;
import corral.workers.process.SetsidLauncher;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Every instance's output is copied by the daemon's one log pump thread (issue 12: not two reader
 * threads per instance), and an instance killed with SIGKILL right after writing still has all it
 * wrote in its file.
 */
class LogPumpThreadsTest {

    @RegisterExtension
    static final CorralHome HOME = new CorralHome();

    /**
     * About 40 KB: less than a pipe holds. Node writes to a full pipe asynchronously, keeping the rest
     * in its own memory, which a SIGKILL loses whoever reads the pipe; what is in the pipe must not be.
     */
    static final int LINES = 300;

    /** The threads that copy worker output: the pump thread, and those of the old design (log-app[i] pid n port p-out). */
    static List<String> logThreads() {
        return Thread.getAllStackTraces().keySet().stream().map(Thread::getName)
                .filter(n -> n.startsWith("log-")).sorted().toList();
    }

    @Test
    void sixInstancesAddOneThreadAndAnInstanceKilledRightAfterWritingHasEveryLineInItsFile() throws Exception {
        Map<String, String> env = new HashMap<>(System.getenv());
        env.putAll(HOME.env());
        Path home = HOME.path().resolve("pump-threads-home");
        List<String> before = logThreads();
        try (Supervisor supervisor = new Supervisor(new HomeLayout(home), new SetsidLauncher(), DrainGate.NONE,
                Clock.systemUTC(), env)) {
            supervisor.add(TestApps.sample("pumped", 6, Map.of()));
            supervisor.start("pumped").get(60, TimeUnit.SECONDS);
            List<InstanceView> all = supervisor.require("pumped").view().routable();
            assertEquals(6, all.size());
            List<String> during = logThreads();
            assertTrue(during.size() <= before.size() + 1 && during.contains("log-pumps"),
                    "6 instances (12 streams) are copied by one thread: before " + before + ", with them " + during);

            InstanceView victim = all.get(0);
            Thread.sleep(500); // quiet long enough for the pump thread to sleep its longest: the lines stay in the pipe
            var answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                    + victim.port() + "/log?n=" + LINES + "&pad=100&id=victim")).timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, answer.statusCode());
            // the lines are in the pipe before the answer is sent, most likely not yet read
            new ProcessBuilder("kill", "-9", Long.toString(victim.pid())).start().waitFor();

            Path file = home.resolve("log/pumped-out-" + victim.index() + ".log");
            Awaitility.await("every line of the killed instance is in its file").atMost(Duration.ofSeconds(20))
                    .pollInterval(Duration.ofMillis(100)).until(() -> victimLines(file) >= LINES);
            List<String> lines = Files.readAllLines(file).stream().filter(l -> l.startsWith("log id=victim ")).toList();
            assertEquals(LINES, lines.size());
            for (int seq = 0; seq < LINES; seq++) {
                assertTrue(lines.get(seq).startsWith("log id=victim seq=" + seq + " pid=" + victim.pid() + " ")
                        && lines.get(seq).endsWith("x".repeat(100)), "whole and in order: " + lines.get(seq));
            }
        }
    }

    private static long victimLines(Path file) throws Exception {
        try (var lines = Files.lines(file)) {
            return lines.filter(l -> l.startsWith("log id=victim ")).count();
        }
    }
}
