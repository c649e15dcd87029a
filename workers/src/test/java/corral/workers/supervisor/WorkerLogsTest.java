package corral.workers.supervisor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import corral.fixtures.CorralHome;
import corral.workers.config.AppConfig;
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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * 24 instances (the seed's 14 + 10) write 100,000 lines as fast as they can: every line must
 * arrive exactly once, whole, in its instance's file (merge_logs false) or its app's file (true).
 */
class WorkerLogsTest {

    @RegisterExtension
    static final CorralHome HOME = new CorralHome();

    static final int LINES_PER_INSTANCE = 4167;
    static final int PAD = 100;
    static final Pattern LINE = Pattern.compile("log id=(\\S+) seq=(\\d+) pid=(\\d+) (x*)");

    @Test
    void everyLineOf24FastWritersArrivesOnceAndWholeInTheRightFile() throws Exception {
        Map<String, String> env = new HashMap<>(System.getenv());
        env.putAll(HOME.env());
        Path home = HOME.path().resolve("logs-home");
        AppConfig nuomi = TestApps.sample("nuomi", 14, Map.of());
        AppConfig h5 = merged(TestApps.sample("h5", 10, Map.of()));
        try (Supervisor supervisor = new Supervisor(new HomeLayout(home), new SetsidLauncher(), DrainGate.NONE,
                Clock.systemUTC(), env)) {
            supervisor.add(nuomi);
            supervisor.add(h5);
            CompletableFuture.allOf(supervisor.start("nuomi"), supervisor.start("h5")).get(60, TimeUnit.SECONDS);
            List<InstanceView> all = new ArrayList<>();
            all.addAll(supervisor.require("nuomi").view().routable());
            all.addAll(supervisor.require("h5").view().routable());
            assertEquals(24, all.size());

            HttpClient http = HttpClient.newHttpClient();
            List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
            for (InstanceView i : all) {
                String id = i.app() + "-" + i.index();
                calls.add(http.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + i.port()
                        + "/log?n=" + LINES_PER_INSTANCE + "&pad=" + PAD + "&id=" + id))
                        .timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString()));
            }
            for (var c : calls) {
                assertEquals(200, c.get(60, TimeUnit.SECONDS).statusCode());
            }
            // A stop completes once each instance's output has been copied to the end.
            supervisor.stop("nuomi").get(20, TimeUnit.SECONDS);
            supervisor.stop("h5").get(20, TimeUnit.SECONDS);

            long total = 0;
            for (int i = 0; i < 14; i++) {
                Path file = home.resolve("log/nuomi-out-" + i + ".log");
                total += checkFile(file, List.of("nuomi-" + i));
            }
            List<String> h5Ids = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                h5Ids.add("h5-" + i);
            }
            total += checkFile(home.resolve("log/h5-out.log"), h5Ids);
            assertEquals(24L * LINES_PER_INSTANCE, total);
            assertTrue(total >= 100_000);
        }
    }

    /** Checks that the file holds, for each id, seq 0..n-1 exactly once and whole; returns the count. */
    static long checkFile(Path file, List<String> ids) throws Exception {
        Map<String, boolean[]> seen = new HashMap<>();
        ids.forEach(id -> seen.put(id, new boolean[LINES_PER_INSTANCE]));
        long count = 0;
        for (String line : Files.readAllLines(file)) {
            if (!line.startsWith("log ")) {
                continue; // the app's access log lines
            }
            Matcher m = LINE.matcher(line);
            assertTrue(m.matches() && m.group(4).length() == PAD, file + ": garbled line: " + line);
            boolean[] seqs = seen.get(m.group(1));
            assertTrue(seqs != null, file + ": line of another instance: " + line);
            int seq = Integer.parseInt(m.group(2));
            assertTrue(!seqs[seq], file + ": duplicated line: " + line);
            seqs[seq] = true;
            count++;
        }
        for (var e : seen.entrySet()) {
            for (int s = 0; s < LINES_PER_INSTANCE; s++) {
                assertTrue(e.getValue()[s], file + ": missing " + e.getKey() + " seq " + s);
            }
        }
        return count;
    }

    static AppConfig merged(AppConfig a) {
        return new AppConfig(a.name(), a.source(), a.script(), a.args(), a.cwd(), a.interpreter(),
                a.interpreterArgs(), a.instances(), a.publicPort(), a.env(), a.killTimeout(), a.listenTimeout(),
                a.minUptime(), a.maxRestarts(), a.restartDelay(), a.expBackoffRestartDelay(), a.autorestart(),
                a.stopExitCodes(), a.maxMemoryBytes(), true, a.outFile(), a.errorFile(), Optional.empty(),
                a.instanceVar(), a.readinessPath(), a.resources(), a.proxy(), a.lifecycle());
    }
}
