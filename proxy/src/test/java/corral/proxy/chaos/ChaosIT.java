package corral.proxy.chaos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import corral.fixtures.CorralHome;
import corral.fixtures.ProcessLeaks;
import corral.fixtures.StatusJson;
import corral.proxy.chaos.ChaosLoad.Kind;
import corral.proxy.chaos.ChaosLoad.Outcome;
import corral.proxy.chaos.ChaosLoad.Target;
import corral.proxy.install.CorralInstall;
import corral.proxy.install.PackagedDaemon;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Sixty seconds of mixed traffic (GET, HEAD, slow GET, POST, slow POST; keep-alive and
 * {@code Connection: close}) through both kinds of listener, while {@link ChaosDriver}
 * {@code kill -9}s instances, reloads h5, scales nuomi up and down and reloads a changed
 * configuration. Then:
 *
 * <ul>
 *   <li>no GET or HEAD failed. The JDK's HttpClient sends a GET or HEAD once more, on its own,
 *       when its connection closes before the first response byte, and reports only that second
 *       attempt: a GET counted as passed could hide one that Corral dropped. So each GET and HEAD
 *       (its id is in its URI) must also appear exactly once in Corral's access log: a second
 *       line would be the client's silent retry;</li>
 *   <li>every failed POST ran on an instance that a logged kill hit (Corral's access log names
 *       the instance's pid; a POST that reached an instance is never replayed): either while the
 *       POST was in flight, or at most {@link #NOTICE_WINDOW} before it was sent. The latter is
 *       the time Corral takes to learn of the death: until then the dead instance is still in
 *       its pool and a request can be written into one of the connections it left, and that
 *       POST cannot be told from one the instance received (nginx does not resend it either).
 *       Such POSTs are reported apart, with how long after the kill they were sent;</li>
 *   <li>every command that failed overlapped a kill;</li>
 *   <li>once the configuration is restored, each pool is back to its configured size with every
 *       instance ready, and the processes carrying this home are exactly the daemon and those
 *       instances: none orphaned.</li>
 * </ul>
 *
 * The run prints what it measured (requests by kind, failures by kind, actions). Set
 * {@code -Dchaos.seed} to repeat a run's choices, {@code -Dchaos.seconds} to change its length.
 */
@ExtendWith(PackagedDaemon.class)
class ChaosIT {

    @RegisterExtension
    static final CorralHome HOME = new CorralHome();

    static final Duration RUN = Duration.ofSeconds(Long.getLong("chaos.seconds", 60));
    static final Duration SETTLE = Duration.ofSeconds(60);
    /** How long after a kill Corral may still send to the dead instance (it learns of the exit). */
    static final Duration NOTICE_WINDOW = Duration.ofMillis(250);
    static final Pattern ACCESS_LINE = Pattern.compile(
            "\"(\\S+) (\\S*)\" (\\d{3}) \\d+ \\d+ms pool=(\\S+) inst=\\S+ pid=(\\S+) tries=(\\d+)$");
    static final Pattern RID = Pattern.compile("(?:/|rid=)(c-\\d+)(?![\\d])");

    /** One line of Corral's access log. */
    record Logged(String method, String uri, int status, String pool, long pid, int tries) {
    }

    @Test
    void underKillsReloadsScalesAndConfReloadsNoGetFailsAndEveryFailedPostMeetsItsKill() throws Exception {
        long seed = Long.getLong("chaos.seed", System.nanoTime());
        CorralInstall corral = new CorralInstall(HOME);
        corral.writeGoodConfig(ChaosDriver.NUOMI_INSTANCES, ChaosDriver.H5_INSTANCES, "");
        ChaosLoad load = new ChaosLoad(mix(corral), 6, Duration.ofSeconds(20));
        ChaosDriver driver = new ChaosDriver(corral, seed);
        List<String> problems = new ArrayList<>();
        List<String> report = new ArrayList<>();
        report.add("chaos run: seed " + seed + ", " + RUN.toSeconds() + " s, home " + HOME.path());
        try {
            corral.ok("start");

            load.start();
            driver.start();
            Thread.sleep(RUN.toMillis());
            driver.stop();
            load.stop();

            driver.restore().forEach(a -> report.add("  " + a));
            JsonNode settled = awaitConfiguredPools(corral);
            checkPools(settled, problems);
            checkNoOrphan(corral, settled, problems);
        } finally {
            load.stop();
            driver.stop();
            corral.kill();
        }
        assertEquals(List.of(), ProcessLeaks.find(HOME.path().toString()), "processes left after bin/control kill");

        Map<String, List<Logged>> logged = accessLog(corral.logDir().resolve("access.log"));
        List<Outcome> outcomes = load.outcomes();
        driver.crashes().forEach(e -> problems.add("the driver stopped early: " + e));
        checkIdempotentRequests(outcomes, logged, problems);
        checkFailedPosts(outcomes, logged, driver.kills(), report, problems);
        checkCommands(driver.actions(), problems);
        summarise(outcomes, driver.actions(), report);
        report.forEach(System.out::println);
        problems.forEach(p -> System.out.println("PROBLEM: " + p));

        assertTrue(driver.kills().size() >= 10, "only " + driver.kills().size() + " kills: the run did not stress Corral");
        assertTrue(outcomes.size() >= 1000, "only " + outcomes.size() + " requests");
        assertEquals(List.of(), problems, String.join("\n", report));
    }

    /** Both listeners, every kind of request; slow ones long enough for a kill to land mid-flight. */
    static List<Target> mix(CorralInstall corral) {
        int h5 = corral.h5Port;
        int nuomi = corral.nuomiPort;
        int vhost = corral.vhostPort;
        List<Target> mix = new ArrayList<>();
        add(mix, 3, new Target(Kind.GET, "app", h5, "/h5/page/{rid}"));
        add(mix, 2, new Target(Kind.GET, "vhost", vhost, "/m/{rid}"));
        add(mix, 2, new Target(Kind.GET, "vhost", vhost, "/nuomi/component/{rid}"));
        add(mix, 2, new Target(Kind.GET, "app", nuomi, "/nuomi/component/{rid}"));
        add(mix, 1, new Target(Kind.HEAD, "app", h5, "/h5/page/{rid}"));
        add(mix, 1, new Target(Kind.HEAD, "vhost", vhost, "/nuomi/component/{rid}"));
        add(mix, 1, new Target(Kind.SLOW_GET, "app", h5, "/h5/slow?ms=700&rid={rid}"));
        add(mix, 1, new Target(Kind.SLOW_GET, "vhost", vhost, "/nuomi/slow?ms=400&rid={rid}"));
        add(mix, 2, new Target(Kind.POST, "app", h5, "/h5/echo?rid={rid}"));
        add(mix, 1, new Target(Kind.POST, "vhost", vhost, "/h5/echo?rid={rid}"));
        add(mix, 1, new Target(Kind.POST, "app", nuomi, "/nuomi/echo?rid={rid}"));
        add(mix, 1, new Target(Kind.POST, "vhost", vhost, "/nuomi/echo?rid={rid}"));
        add(mix, 1, new Target(Kind.SLOW_POST, "app", h5, "/h5/slow?ms=500&rid={rid}"));
        add(mix, 1, new Target(Kind.SLOW_POST, "vhost", vhost, "/nuomi/slow?ms=300&rid={rid}"));
        return mix;
    }

    private static void add(List<Target> mix, int weight, Target target) {
        for (int i = 0; i < weight; i++) {
            mix.add(target);
        }
    }

    // ---- the end state -----------------------------------------------------------------------

    /** Polls the status until every pool runs its configured count, all ready, nothing else; the last status. */
    private static JsonNode awaitConfiguredPools(CorralInstall corral) throws Exception {
        try {
            return Awaitility.await("every pool at its configured size").atMost(SETTLE).pollInterval(Duration.ofMillis(250))
                    .until(corral::adminStatus, ChaosIT::atConfiguredSize);
        } catch (ConditionTimeoutException e) {
            return corral.adminStatus(); // the caller's assertions say what is off
        }
    }

    private static boolean atConfiguredSize(JsonNode status) {
        for (JsonNode app : status.path("apps")) {
            int configured = app.path("name").asText().equals("h5") ? ChaosDriver.H5_INSTANCES : ChaosDriver.NUOMI_INSTANCES;
            JsonNode instances = app.path("instances");
            if (instances.size() != configured || StatusJson.readyPids(status, app.path("name").asText()).size() != configured) {
                return false;
            }
        }
        return status.path("apps").size() == 2;
    }

    private static void checkPools(JsonNode status, List<String> problems) {
        if (!atConfiguredSize(status)) {
            problems.add("the pools did not come back to nuomi " + ChaosDriver.NUOMI_INSTANCES + ", h5 "
                    + ChaosDriver.H5_INSTANCES + " ready instances within " + SETTLE.toSeconds() + " s: " + status);
        }
    }

    /** The processes carrying this home must be the daemon and the instances the status shows. */
    private static void checkNoOrphan(CorralInstall corral, JsonNode status, List<String> problems) throws IOException {
        Set<Long> expected = new TreeSet<>(StatusJson.allPids(status));
        expected.add(corral.daemonPid());
        Set<Long> running = ProcessLeaks.find(HOME.path().toString()).stream()
                .map(ProcessLeaks.Leak::pid).collect(Collectors.toCollection(TreeSet::new));
        if (!running.equals(expected)) {
            Set<Long> orphans = new TreeSet<>(running);
            orphans.removeAll(expected);
            problems.add("processes of this home beside the daemon and its instances: " + ProcessLeaks.find(HOME.path().toString())
                    .stream().filter(l -> orphans.contains(l.pid())).toList() + " (expected pids " + expected + ")");
        }
    }

    // ---- the requests ------------------------------------------------------------------------

    private static void checkIdempotentRequests(List<Outcome> outcomes, Map<String, List<Logged>> logged,
                                                List<String> problems) {
        for (Outcome o : outcomes) {
            if (!o.target().idempotent()) {
                continue;
            }
            if (o.failed()) {
                problems.add("failed " + o);
                continue;
            }
            int lines = logged.getOrDefault(o.rid(), List.of()).size();
            if (lines != 1) {
                problems.add(o.rid() + " appears " + lines + " times in the access log (a silent client retry?): " + o);
            }
        }
    }

    /**
     * Each failed POST must have run on an instance that a kill hit while it was in flight, or
     * just before it was sent (within {@link #NOTICE_WINDOW}).
     */
    private static void checkFailedPosts(List<Outcome> outcomes, Map<String, List<Logged>> logged,
                                         List<ChaosDriver.Action> kills, List<String> report, List<String> problems) {
        int inFlight = 0;
        int sentAfter = 0;
        for (Outcome o : outcomes) {
            if (o.target().idempotent() || !o.failed()) {
                continue;
            }
            List<Logged> lines = logged.getOrDefault(o.rid(), List.of());
            if (lines.size() != 1) {
                problems.add("failed POST with " + lines.size() + " access-log lines: " + o);
                continue;
            }
            Logged line = lines.get(0);
            List<ChaosDriver.Action> ofItsPid = kills.stream().filter(k -> k.pid() == line.pid()).toList();
            Optional<ChaosDriver.Action> midFlight = ofItsPid.stream().filter(k -> k.overlaps(o.sent(), o.done())).findFirst();
            Optional<ChaosDriver.Action> justBefore = ofItsPid.stream()
                    .filter(k -> k.overlaps(o.sent().minus(NOTICE_WINDOW), o.sent())).findFirst();
            if (midFlight.isPresent()) {
                inFlight++;
                report.add("  failed POST, in flight when its instance was killed: " + o
                        + "\n    Corral: " + line + "\n    kill:   " + midFlight.get());
            } else if (justBefore.isPresent()) {
                sentAfter++;
                report.add("  failed POST, sent " + Duration.between(justBefore.get().start(), o.sent()).toMillis()
                        + " ms after its instance was killed, before Corral learnt of it: " + o
                        + "\n    Corral: " + line + "\n    kill:   " + justBefore.get());
            } else {
                problems.add("failed POST that no kill explains: " + o + "; Corral logged " + line);
            }
        }
        report.add("failed POSTs explained by a kill: " + inFlight + " in flight when it hit, " + sentAfter
                + " sent into the killed instance before Corral learnt of it");
    }

    private static void checkCommands(List<ChaosDriver.Action> actions, List<String> problems) {
        List<ChaosDriver.Action> kills = actions.stream().filter(ChaosDriver.Action::isKill).toList();
        for (ChaosDriver.Action a : actions) {
            if (!a.isKill() && a.exit() != 0 && kills.stream().noneMatch(k -> k.overlaps(a.start(), a.end()))) {
                problems.add("a command failed with no kill during it: " + a);
            }
        }
    }

    /** Corral's access log by request id (taken from the URI). */
    static Map<String, List<Logged>> accessLog(Path file) throws IOException {
        Map<String, List<Logged>> byRid = new HashMap<>();
        for (String l : Files.readAllLines(file)) {
            Matcher m = ACCESS_LINE.matcher(l);
            if (!m.find()) {
                continue;
            }
            Matcher rid = RID.matcher(m.group(2));
            if (rid.find()) {
                long pid = m.group(5).equals("-") ? 0 : Long.parseLong(m.group(5));
                byRid.computeIfAbsent(rid.group(1), k -> new ArrayList<>()).add(new Logged(m.group(1), m.group(2),
                        Integer.parseInt(m.group(3)), m.group(4), pid, Integer.parseInt(m.group(6))));
            }
        }
        return byRid;
    }

    // ---- the report --------------------------------------------------------------------------

    private static void summarise(List<Outcome> outcomes, List<ChaosDriver.Action> actions, List<String> report) {
        report.add("requests: " + outcomes.size() + " in all; by kind " + count(outcomes, o -> o.target().kind().toString())
                + "; by listener " + count(outcomes, o -> o.target().listener())
                + "; with Connection: close " + outcomes.stream().filter(Outcome::close).count());
        List<Outcome> failed = outcomes.stream().filter(Outcome::failed).toList();
        report.add("failed: " + failed.size() + "; by kind " + count(failed, o -> o.target().kind().toString())
                + "; by cause " + count(failed, o -> o.status() != 0 ? "status " + o.status() : o.error().replaceFirst(":.*", "")));
        report.add("instances that answered: " + outcomes.stream().map(Outcome::workerPid).filter(p -> p != 0)
                .collect(Collectors.toCollection(HashSet::new)).size());
        report.add("actions: " + actions.size() + "; " + count(actions, a -> a.what().replaceFirst(" (pid|[0-9(]).*", "")
                .replaceFirst("^kill -9 .*", "kill -9") + (a.isKill() || a.exit() == 0 ? "" : " (failed)")));
        actions.forEach(a -> report.add("  " + a));
    }

    private static <T> Map<String, Long> count(List<T> items, Function<T, String> key) {
        return new TreeMap<>(items.stream().collect(Collectors.groupingBy(key, Collectors.counting())));
    }
}
