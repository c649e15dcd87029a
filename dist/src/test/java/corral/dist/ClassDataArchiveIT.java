package corral.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import corral.fixtures.CorralHome;
import corral.fixtures.ProcessLeaks;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The daemon's class-data-sharing archive ({@code lib/corral.jsa}, bin/control): the first daemon
 * of a package starts without one and saves one when it exits, the next start maps it, and an
 * archive the JVM cannot use (here a truncated one, as a daemon killed while saving leaves) never
 * stops a daemon from starting: it is replaced. Read from the daemon's own command line and
 * {@code /proc/<pid>/maps}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClassDataArchiveIT {

    @RegisterExtension
    static CorralHome home = new CorralHome();

    static UnpackedRelease release;
    static Path archive;

    @BeforeAll
    static void unpack() throws Exception {
        release = new UnpackedRelease(home);
        release.fitShippedConf(1, 1, "");
        archive = release.root.resolve("lib/corral.jsa");
    }

    @AfterAll
    static void killWhatIsLeft() throws Exception {
        release.kill();
        ProcessLeaks.killAll(home.path().toString());
    }

    @Test
    @Order(1)
    void theFirstDaemonStartsWithoutAnArchiveAndSavesOneAtExit() throws Exception {
        assertFalse(Files.exists(archive), "no archive in the package");
        String options = startAndServe();
        assertTrue(options.contains("-XX:ArchiveClassesAtExit=" + archive + "."), options);
        assertFalse(options.contains("SharedArchiveFile"), options);
        killDaemon();
        assertEquals(1, saved().size(), "one archive saved under the daemon's own name: " + saved());
        assertFalse(Files.exists(archive), "put in place by the next start only");
    }

    @Test
    @Order(2)
    void theNextStartMapsIt() throws Exception {
        String options = startAndServe();
        assertTrue(options.contains("-XX:SharedArchiveFile=" + archive), options);
        assertFalse(options.contains("ArchiveClassesAtExit"), options);
        assertTrue(mapped().contains(archive.toString()), "the daemon maps " + archive + ":\n" + mapped());
        assertEquals(List.of(), saved(), "renamed into place");
        killDaemon();
        assertEquals(List.of(), saved(), "a daemon given an archive saves none");
    }

    @Test
    @Order(3)
    void aTruncatedArchiveIsReplacedNotUsed() throws Exception {
        byte[] all = Files.readAllBytes(archive);
        Files.delete(archive); // saved read-only
        Files.write(archive, Arrays.copyOf(all, all.length / 2));
        String options = startAndServe();
        assertFalse(options.contains("SharedArchiveFile"), "a JVM given it would crash at start: " + options);
        assertTrue(options.contains("-XX:ArchiveClassesAtExit=" + archive + "."), options);
        assertFalse(Files.exists(archive), "removed");
        try (Stream<Path> files = Files.list(release.root)) {
            assertEquals(List.of(), files.filter(f -> f.getFileName().toString().startsWith("hs_err")).toList(),
                    "the trial JVM that crashed on it left no error file where bin/control ran");
        }
        killDaemon();
        assertEquals(1, saved().size(), saved().toString());
        assertTrue(startAndServe().contains("-XX:SharedArchiveFile=" + archive), "the new one is used");
        killDaemon();
    }

    @Test
    @Order(4)
    void operatorOptionsReplaceIt() throws Exception {
        Map<String, String> env = new HashMap<>(release.env());
        env.put("CORRAL_JAVA_OPTS", "-Xmx128m");
        UnpackedRelease.Result start = release.controlWith(env, "start");
        assertEquals(0, start.exit(), start.toString());
        String options = commandLine(release.daemonPid());
        assertFalse(options.contains("SharedArchiveFile") || options.contains("ArchiveClassesAtExit"), options);
        killDaemon();
    }

    /** Starts the package's daemon, checks it serves, and returns its command line. */
    private static String startAndServe() throws Exception {
        UnpackedRelease.Result start = release.control("start");
        assertEquals(0, start.exit(), start.toString());
        assertEquals(200, UnpackedRelease.get(release.h5Port, "/health").statusCode());
        String log = Files.readString(release.log("corral-daemon.out"));
        assertFalse(log.contains("cds") || log.contains("shared archive"), "nothing said about the archive: " + log);
        return commandLine(release.daemonPid());
    }

    private static void killDaemon() throws Exception {
        long pid = release.daemonPid();
        UnpackedRelease.Result kill = release.control("kill");
        assertEquals(0, kill.exit(), kill.toString());
        assertFalse(ProcessLeaks.isRunning(pid), "kill returns once the daemon is gone (its archive saved)");
    }

    private static String commandLine(long pid) throws IOException {
        return new String(Files.readAllBytes(Path.of("/proc/" + pid + "/cmdline")), StandardCharsets.UTF_8).replace('\0', ' ');
    }

    private static String mapped() throws IOException {
        return Files.readString(Path.of("/proc/" + release.daemonPid() + "/maps"));
    }

    /** Archives saved by daemons and not yet put in place: lib/corral.jsa.PID. */
    private static List<Path> saved() throws IOException {
        try (Stream<Path> files = Files.list(archive.getParent())) {
            return files.filter(f -> f.getFileName().toString().startsWith("corral.jsa.")).toList();
        }
    }
}
