package corral.dist;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import corral.fixtures.CorralHome;
import corral.fixtures.ProcessLeaks;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code bin/control daemon} driven as systemd drives it: the test is the service manager. It
 * starts the command and keeps its pid (systemd's {@code $MAINPID}), reads its stderr (the
 * journal), sends SIGHUP ({@code ExecReload}), SIGUSR1 (logrotate) and SIGTERM ({@code stop}),
 * and checks the exit code and that nothing outlives it. The unit that {@code startup} prints is
 * checked by {@code systemd-analyze verify}.
 */
class ForegroundDaemonIT {

    private static final long DRAIN_DELAY_MS = 3000;
    private static final Duration LIMIT = Duration.ofSeconds(120);

    @RegisterExtension
    static CorralHome home = new CorralHome();

    static UnpackedRelease release;
    private Process daemon;
    private Path journal;

    @BeforeAll
    static void unpack() throws Exception {
        release = new UnpackedRelease(home);
        release.fitShippedConf(1, 1, "drain.delay.ms = " + DRAIN_DELAY_MS + "\n");
    }

    @AfterEach
    void endTheDaemon() {
        if (daemon != null && daemon.isAlive()) {
            ProcessLeaks.killTree(daemon.pid());
        }
        ProcessLeaks.killAll(home.path().toString());
    }

    @Test
    void sighupReloadsUsr1ReopensTermDrainsAndExitsZero() throws Exception {
        daemon = startForeground();
        await().atMost(LIMIT).until(() -> journal().contains("started nuomi, h5") || !daemon.isAlive());
        assertTrue(daemon.isAlive(), "the daemon runs: " + journal());
        assertEquals(daemon.pid(), release.daemonPid(), "the process systemd started is the daemon ($MAINPID)");

        // SIGHUP = reload-conf: the file's new count applies
        setInstances("nuomi", 1, 2);
        release.signal(daemon.pid(), "HUP");
        await().atMost(LIMIT).until(() -> UnpackedRelease.readyPids(release.status(), "nuomi").size() == 2);
        await().atMost(LIMIT).until(() -> count("SIGHUP: configuration applied") == 1);

        // a SIGHUP that arrives while a reload-conf runs gets a reload of its own
        setInstances("h5", 1, 2);
        release.signal(daemon.pid(), "HUP");
        await().atMost(LIMIT).until(() -> count("SIGHUP: received") == 2);
        setInstances("h5", 2, 3);
        release.signal(daemon.pid(), "HUP");
        await().atMost(LIMIT).until(() -> count("SIGHUP: configuration") == 3); // each HUP's result line
        assertEquals(3, UnpackedRelease.readyPids(release.status(), "h5").size(), "the last HUP applied: " + journal());
        for (int i = 0; i < 5; i++) {
            int received = count("SIGHUP: received");
            release.signal(daemon.pid(), "HUP");
            await().atMost(LIMIT).until(() -> count("SIGHUP: received") == received + 1);
        }
        await().atMost(LIMIT).until(() -> count("SIGHUP: configuration") == 8);
        assertTrue(count("SIGHUP: configuration unchanged") >= 5, journal());
        assertEquals(8, count("SIGHUP: received"), "every HUP logged on arrival");

        // SIGUSR1 = reopen every log file, after a rotation by rename
        for (String name : List.of("corral.log", "access.log", "nuomi-out-0.log")) {
            Files.move(release.log(name), release.log(name + ".1"));
        }
        release.signal(daemon.pid(), "USR1");
        await().atMost(LIMIT).until(() -> Files.exists(release.log("corral.log"))
                && Files.readString(release.log("corral.log")).contains("SIGUSR1: log files reopened"));
        String id = "usr1-" + System.nanoTime();
        assertEquals(200, UnpackedRelease.get(release.nuomiPort, "/nuomi/component/x?id=" + id).statusCode());
        await().atMost(LIMIT).until(() -> contains("access.log", id) && contains("nuomi-out-0.log", id));
        for (String name : List.of("corral.log.1", "access.log.1", "nuomi-out-0.log.1")) {
            assertFalse(Files.readString(release.log(name)).contains(id), name + " got a line after the reopen");
        }

        // offline: 503 at once, traffic served, and the command returns once drain.delay has passed
        long begun = System.nanoTime();
        CompletableFuture<UnpackedRelease.Result> offline = CompletableFuture.supplyAsync(() -> {
            try {
                return release.control("offline");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        await().atMost(LIMIT).until(() -> UnpackedRelease.get(release.nuomiPort, "/health").statusCode() == 503);
        assertEquals(200, UnpackedRelease.get(release.nuomiPort, "/nuomi/component/x").statusCode(), "served while offline");
        UnpackedRelease.Result wentOffline = offline.get(LIMIT.toSeconds(), TimeUnit.SECONDS);
        assertEquals(0, wentOffline.exit(), wentOffline.toString());
        assertTrue(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begun) >= DRAIN_DELAY_MS, "offline waited drain.delay");
        assertTrue(wentOffline.out().contains("drain.delay.ms"), wentOffline.toString());
        assertEquals(0, release.control("online").exit());
        assertEquals(200, UnpackedRelease.get(release.nuomiPort, "/health").statusCode());

        // SIGTERM: offline while still serving for drain.delay, then drain, stop every pool, exit 0
        Set<Long> workers = new java.util.TreeSet<>(UnpackedRelease.readyPids(release.status(), "nuomi"));
        workers.addAll(UnpackedRelease.readyPids(release.status(), "h5"));
        long sent = System.nanoTime();
        release.signal(daemon.pid(), "TERM");
        await().atMost(LIMIT).until(() -> UnpackedRelease.get(release.h5Port, "/health").statusCode() == 503);
        assertEquals(200, UnpackedRelease.get(release.h5Port, "/h5/page/x").statusCode(), "still serving during drain.delay");
        assertTrue(daemon.waitFor(LIMIT.toSeconds(), TimeUnit.SECONDS), "the daemon exits after SIGTERM");
        assertTrue(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - sent) >= DRAIN_DELAY_MS, "waited drain.delay");
        assertEquals(0, daemon.exitValue(), journal());
        assertTrue(journal().contains("SIGTERM: every pool stopped"), journal());
        for (long pid : workers) {
            assertFalse(ProcessLeaks.isRunning(pid), "worker " + pid + " stopped with the daemon");
        }
        assertEquals(List.of(), ProcessLeaks.find(home.path().toString()), "nothing outlives the daemon");
        assertFalse(Files.exists(release.root.resolve("run/admin.json")), "no stale endpoint");
    }

    @Test
    void aStartThatFailsExitsNonZeroWithTheReason() throws Exception {
        Path bad = release.root.resolve("conf/bad.json");
        Files.writeString(bad, Files.readString(release.root.resolve("conf/pm2.json"))
                .replaceFirst("\"instances\": \"\\d+\"", "\"instances\": \"lots\""));
        UnpackedRelease.Result r = release.control("daemon", "--conf", bad.toString());
        assertEquals(1, r.exit(), r.toString());
        assertTrue(r.err().contains("bad.json") && r.err().contains("instances"), "the reason names file and field: " + r);

        Path broken = release.root.resolve("conf/broken.json");
        Files.writeString(broken, Files.readString(release.root.resolve("conf/pm2.json"))
                .replaceFirst("\"NODE_ENV\": \"production\",", "\"NODE_ENV\": \"production\", \"APP_FAIL_START\": \"1\","));
        UnpackedRelease.Result failing = release.control("daemon", "--conf", broken.toString());
        assertEquals(1, failing.exit(), failing.toString());
        assertTrue(failing.err().contains("start failed"), failing.toString());
        assertEquals(List.of(), ProcessLeaks.find(home.path().toString()), "a failed start leaves nothing");
    }

    @Test
    void startupPrintsAUnitThatSystemdAccepts() throws Exception {
        UnpackedRelease.Result r = release.control("startup");
        assertEquals(0, r.exit(), r.toString());
        String unit = r.out();
        Path root = release.root;
        assertTrue(unit.contains("\nExecStart=" + root.resolve("bin/control") + " daemon --conf " + root.resolve("conf/pm2.json")
                + " --vhost " + root.resolve("conf/vhost") + "\n"), unit);
        for (String line : List.of("Type=simple", "ExecReload=/bin/kill -HUP $MAINPID", "KillSignal=SIGTERM", "KillMode=mixed",
                "Restart=on-failure", "LimitNOFILE=65536", "Environment=CORRAL_HOME=" + root, "WantedBy=multi-user.target")) {
            assertTrue(unit.contains("\n" + line + "\n"), line + " in\n" + unit);
        }
        // drain.delay 3 s + twice the longest kill_timeout (PM2_GRACEFUL_TIMEOUT 1000 ms) + 15 s of slack
        Matcher stop = Pattern.compile("\nTimeoutStopSec=(\\d+)\n").matcher(unit);
        assertTrue(stop.find(), unit);
        assertEquals(3 + 2 + 15, Integer.parseInt(stop.group(1)));

        Path file = Files.createDirectories(root.resolve("unit")).resolve("corral.service");
        Files.writeString(file, unit);
        UnpackedRelease.Result verify = release.run(List.of("systemd-analyze", "verify", file.toString()), release.env());
        assertEquals(0, verify.exit(), verify.toString());
        assertFalse(verify.err().contains("corral.service"), "systemd-analyze has nothing to say about the unit: " + verify);

        UnpackedRelease.Result withUser = release.control("startup", "--user", "www-data");
        assertTrue(withUser.out().contains("\nUser=www-data\n"), withUser.toString());
    }

    private Process startForeground() throws IOException {
        journal = Files.createTempFile(home.path(), "journal", ".txt");
        ProcessBuilder pb = new ProcessBuilder(release.root.resolve("bin/control").toString(), "daemon")
                .directory(release.root.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectErrorStream(true)
                .redirectOutput(journal.toFile());
        pb.environment().clear();
        pb.environment().putAll(release.env());
        return pb.start();
    }

    private String journal() throws IOException {
        return Files.readString(journal, StandardCharsets.UTF_8);
    }

    private int count(String text) throws IOException {
        return (int) journal().lines().filter(l -> l.contains(text)).count();
    }

    private boolean contains(String log, String text) throws IOException {
        return Files.exists(release.log(log)) && Files.readString(release.log(log)).contains(text);
    }

    // the apps in the shipped pm2.json are nuomi then h5: the n-th "instances" is the n-th app's
    private static void setInstances(String app, int from, int to) throws IOException {
        Path pm2 = release.root.resolve("conf/pm2.json");
        String text = Files.readString(pm2);
        int at = text.indexOf("\"name\": \"" + app + "\"");
        int field = text.indexOf("\"instances\": \"" + from + "\"", at);
        assertTrue(at >= 0 && field > at, app + " has " + from + " instances in " + text);
        Files.writeString(pm2, text.substring(0, field) + "\"instances\": \"" + to + "\""
                + text.substring(field + ("\"instances\": \"" + from + "\"").length()));
    }
}
