package corral.dist;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import corral.fixtures.CorralHome;
import corral.fixtures.LoadGenerator;
import corral.fixtures.LoadResult;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The shipped {@code conf/logrotate.d/corral}, run by the real {@code logrotate} with
 * {@code -f} several times while a bounded load runs through nuomi's port: the files are moved
 * and {@code postrotate} runs {@code bin/control reopen-logs}. Afterwards every request is in the
 * logs exactly once (the instances' logs by request id, the access log by count), every line is
 * whole, no rotated file grew after the reopen, and the daemon holds no rotated file open.
 */
class LogrotateIT {

    /** Requests between two rotations; the load is bounded by {@link #MAX_REQUESTS} and stopped after the last. */
    private static final int STEP = 600;
    private static final int MAX_REQUESTS = 50_000;
    private static final int ROTATIONS = 5;
    private static final Pattern WORKER_REQUEST = Pattern.compile(
            "\\S+ pid=\\d+ inst=\\d+ GET /nuomi/component/c 200 rid=(rot-\\d+)");
    private static final Pattern WORKER_OTHER = Pattern.compile(
            "\\S+ pid=\\d+ inst=\\S+ [A-Z]+ \\S+ \\d{3} rid=\\S+|pid=\\d+ inst=\\S+ listening on .*|pid=\\d+ SIG[A-Z]+: closing");
    private static final Pattern ACCESS_REQUEST = Pattern.compile(
            "\\S+ \\S+ \\S+ \"GET /nuomi/component/c\" 200 \\d+ \\d+ms pool=nuomi inst=\\d+ pid=\\d+ tries=\\d+");

    @RegisterExtension
    static CorralHome home = new CorralHome();

    static UnpackedRelease release;
    static Path config;

    @BeforeAll
    static void startWithTheShippedLogrotateFile() throws Exception {
        release = new UnpackedRelease(home);
        release.fitShippedConf(2, 1, "");
        // the shipped file names /opt/corral, the documented install directory
        config = release.root.resolve("logrotate.conf");
        Files.writeString(config, Files.readString(release.root.resolve("conf/logrotate.d/corral"))
                .replace("/opt/corral", release.root.toString()));
        UnpackedRelease.Result start = release.control("start");
        assertEquals(0, start.exit(), start.toString());
    }

    @AfterAll
    static void kill() throws Exception {
        release.kill();
    }

    @Test
    void rotationsUnderLoadLoseNoLineSplitNoneAndLeaveTheOldFilesAlone() throws Exception {
        LoadGenerator load = LoadGenerator.builder()
                .get("http://127.0.0.1:" + release.nuomiPort + "/nuomi/component/c")
                .concurrency(4).requests(MAX_REQUESTS).duration(Duration.ofMinutes(4)).requestIdPrefix("rot").build();
        CompletableFuture<LoadResult> running = load.start();
        Map<Path, FileKey> rotated = new HashMap<>();
        for (int r = 1; r <= ROTATIONS; r++) {
            long threshold = (long) STEP * r;
            await().atMost(Duration.ofMinutes(3)).until(() -> load.issued() >= threshold || running.isDone());
            assertFalse(running.isDone(), "the load still runs at rotation " + r);
            assertUnchanged(rotated);
            // The access log is written once a second: on a fast machine the new file may still be
            // empty, and logrotate (notifempty) would rightly leave it; rotate a file with lines in it.
            await().atMost(Duration.ofSeconds(10)).until(() -> Files.size(release.log("access.log")) > 0);
            UnpackedRelease.Result rotate = release.run(List.of("logrotate", "-f", "-s",
                    release.root.resolve("logrotate.state").toString(), config.toString()), release.env());
            assertEquals(0, rotate.exit(), "logrotate run " + r + ": " + rotate);
            rotated = keysOf(lastRotated());
            assertTrue(rotated.containsKey(release.log("access.log.1")), "access.log was rotated: " + rotated.keySet());
        }
        long last = load.issued() + STEP;
        await().atMost(Duration.ofMinutes(3)).until(() -> load.issued() >= last || running.isDone());
        load.stop();
        LoadResult result = running.get(5, TimeUnit.MINUTES);
        int requests = (int) result.total();
        assertEquals(0, result.failed(), result.summary());
        assertUnchanged(rotated);

        // each line is written once its request has ended: wait for the last ones, no longer
        await().atMost(Duration.ofMinutes(1)).until(() -> requestIds().size() >= requests && accessLines() >= requests);
        List<String> ids = requestIds();
        Set<String> expected = new TreeSet<>();
        for (int n = 0; n < requests; n++) {
            expected.add("rot-" + n);
        }
        assertEquals(requests, ids.size(), "each request logged once by its instance");
        assertEquals(expected, new TreeSet<>(ids), "no request id missing");
        assertEquals(requests, accessLines(), "one access line per request");
        assertTrue(files("access.log").size() > ROTATIONS, "access.log and a file per rotation: " + files("access.log"));
        assertNoRotatedFileOpen(release.daemonPid());
        System.out.println("logrotate under load: " + requests + " requests, " + ROTATIONS + " forced rotations, "
                + files("access.log").size() + " access files, " + files("nuomi-out-").size() + " instance files: "
                + "every request once, every line whole");
    }

    /** The instances' request ids, from every nuomi-out file; every line must be a whole one. */
    private static List<String> requestIds() throws IOException {
        List<String> ids = new ArrayList<>();
        for (Path f : files("nuomi-out-")) {
            for (String line : lines(f)) {
                Matcher m = WORKER_REQUEST.matcher(line);
                if (m.matches()) {
                    ids.add(m.group(1));
                } else {
                    assertTrue(WORKER_OTHER.matcher(line).matches(), f + ": not a whole line: '" + line + "'");
                }
            }
        }
        return ids;
    }

    private static long accessLines() throws IOException {
        long n = 0;
        for (Path f : files("access.log")) {
            for (String line : lines(f)) {
                assertTrue(ACCESS_REQUEST.matcher(line).matches(), f + ": not a whole access line: '" + line + "'");
                n++;
            }
        }
        return n;
    }

    /** The daemon holds no rotated log open (fds 1 and 2 are the launcher's, which Java cannot re-point). */
    private static void assertNoRotatedFileOpen(long pid) throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/" + pid + "/fd"))) {
            for (Path fd : (Iterable<Path>) fds::iterator) {
                int n = Integer.parseInt(fd.getFileName().toString());
                String target;
                try {
                    target = Files.readSymbolicLink(fd).toString();
                } catch (IOException gone) {
                    continue;
                }
                if (n > 2 && target.startsWith(release.root.resolve("log").toString())) {
                    assertTrue(target.matches(".*\\.(log|out)$"), "fd " + n + " of the daemon still writes " + target);
                }
            }
        }
    }

    private static void assertUnchanged(Map<Path, FileKey> rotated) throws IOException {
        for (Map.Entry<Path, FileKey> e : rotated.entrySet()) {
            assertEquals(e.getValue(), FileKey.of(e.getKey()), e.getKey() + " was written after the reopen");
        }
    }

    private static List<Path> lastRotated() throws IOException {
        try (Stream<Path> all = Files.list(release.root.resolve("log"))) {
            return all.filter(p -> p.getFileName().toString().endsWith(".1")).toList();
        }
    }

    private static Map<Path, FileKey> keysOf(List<Path> files) throws IOException {
        Map<Path, FileKey> keys = new TreeMap<>();
        for (Path f : files) {
            keys.put(f, FileKey.of(f));
        }
        return keys;
    }

    /** The current file and every rotation of it, compressed or not. */
    private static List<Path> files(String prefix) throws IOException {
        try (Stream<Path> all = Files.list(release.root.resolve("log"))) {
            return all.filter(p -> p.getFileName().toString().startsWith(prefix)).sorted().toList();
        }
    }

    private static List<String> lines(Path f) throws IOException {
        try (InputStream raw = Files.newInputStream(f);
             InputStream in = f.toString().endsWith(".gz") ? new GZIPInputStream(raw) : raw) {
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(text.isEmpty() || text.endsWith("\n"), f + " ends in the middle of a line");
            return text.lines().toList();
        }
    }

    /** A file's identity and size: a rotated file keeps both once Corral has reopened. */
    private record FileKey(Object inode, long size) {
        static FileKey of(Path f) throws IOException {
            return new FileKey(Files.getAttribute(f, "unix:ino"), Files.size(f));
        }
    }
}
