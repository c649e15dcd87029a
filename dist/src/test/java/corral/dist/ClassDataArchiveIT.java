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
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.temporal.ChronoUnit;
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
 * stops a daemon from starting: it is replaced. An archive is tried once: a later start takes the
 * note of its success while the archive, the jars and the JVM are unchanged. Read from the
 * daemon's own command line, {@code /proc/<pid>/maps} and the arguments of the JVMs started.
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
    void anArchiveIsTriedOnceAndAgainOnlyWhenItsJarsOrItChange() throws Exception {
        Map<String, String> env = new HashMap<>(release.env());
        env.put("JAVA_HOME", loggingJdk().toString());
        Path stamp = archive.resolveSibling("corral.jsa-mapped");

        assertTrue(startAndServe(env).contains("-XX:SharedArchiveFile=" + archive));
        assertEquals(1, trials(), "tried: another JVM than the last start's");
        assertTrue(Files.exists(stamp), "its success written down");
        killDaemon();
        assertTrue(startAndServe(env).contains("-XX:SharedArchiveFile=" + archive));
        assertEquals(0, trials(), "the next start does not try it again");
        assertTrue(mapped().contains(archive.toString()), mapped());
        killDaemon();

        // as an image layer (Dockerfile) leaves the files it holds: new inodes, dates in whole seconds
        try (Stream<Path> files = Files.list(archive.getParent())) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                FileTime date = FileTime.from(Files.getLastModifiedTime(file).toInstant().truncatedTo(ChronoUnit.SECONDS));
                Path copy = release.root.resolve("layer-copy");
                Files.copy(file, copy);
                Files.move(copy, file, StandardCopyOption.REPLACE_EXISTING);
                Files.setLastModifiedTime(file, date);
            }
        }
        assertTrue(startAndServe(env).contains("-XX:SharedArchiveFile=" + archive));
        assertEquals(0, trials(), "nothing it rests on changed");
        killDaemon();

        Files.setLastModifiedTime(archive, FileTime.from(Files.getLastModifiedTime(archive).toInstant().plusSeconds(2)));
        assertTrue(startAndServe(env).contains("-XX:SharedArchiveFile=" + archive));
        assertEquals(1, trials(), "a changed archive is tried again (and still maps: the JVM reads no date of its own)");
        killDaemon();

        Path jar;
        try (Stream<Path> jars = Files.list(archive.getParent())) {
            jar = jars.filter(f -> f.getFileName().toString().startsWith("corral-proxy")).findFirst().orElseThrow();
        }
        Files.setLastModifiedTime(jar, FileTime.from(Files.getLastModifiedTime(jar).toInstant().plusSeconds(2)));
        String options = startAndServe(env);
        assertEquals(1, trials(), "a changed jar: the archive is tried again");
        assertFalse(options.contains("SharedArchiveFile"), "and not used, since it records the jar's old date: " + options);
        assertTrue(options.contains("-XX:ArchiveClassesAtExit=" + archive + "."), options);
        killDaemon();
        assertTrue(startAndServe(env).contains("-XX:SharedArchiveFile=" + archive), "the new one, tried");
        assertEquals(1, trials());
        killDaemon();
        assertTrue(startAndServe(env).contains("-XX:SharedArchiveFile=" + archive));
        assertEquals(0, trials(), "renamed into place, it is the archive that was tried");
        killDaemon();
    }

    @Test
    @Order(5)
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
        return startAndServe(release.env());
    }

    private static String startAndServe(Map<String, String> env) throws Exception {
        UnpackedRelease.Result start = release.controlWith(env, "start");
        assertEquals(0, start.exit(), start.toString());
        assertEquals(200, UnpackedRelease.get(release.h5Port, "/health").statusCode());
        String log = Files.readString(release.log("corral-daemon.out"));
        assertFalse(log.contains("cds") || log.contains("shared archive"), "nothing said about the archive: " + log);
        return commandLine(release.daemonPid());
    }

    /**
     * A JAVA_HOME whose java notes its arguments in {@code runs.log}, then runs this JVM's: the
     * trial of an archive is the java run with {@code -Xshare:on} and that archive.
     */
    private static Path loggingJdk() throws IOException {
        Path jdk = release.root.resolve("logging-jdk");
        Path realJdk = Path.of(System.getProperty("java.home"));
        Files.createDirectories(jdk.resolve("bin"));
        Files.createSymbolicLink(jdk.resolve("lib"), realJdk.resolve("lib"));
        Path java = jdk.resolve("bin/java");
        Files.writeString(java, "#!/bin/sh\necho \"$*\" >>" + jdk.resolve("runs.log") + "\nexec "
                + realJdk.resolve("bin/java") + " \"$@\"\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        return jdk;
    }

    /** Trials of an archive since the last call. */
    private static long trials() throws IOException {
        Path log = release.root.resolve("logging-jdk/runs.log");
        if (!Files.exists(log)) {
            return 0;
        }
        long n = Files.readAllLines(log).stream().filter(l -> l.contains("-Xshare:on -XX:SharedArchiveFile=")).count();
        Files.delete(log);
        return n;
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
