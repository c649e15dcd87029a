package corral.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import corral.fixtures.CorralHome;
import corral.fixtures.SampleApp;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code bin/control} in a source tree never runs a stale jar: it calls Maven when a source
 * (a pom.xml, workers/src/main, proxy/src/main) is newer than the jar, and only then. The tree is
 * a copy with the built jars and a stand-in {@code mvn} first on the PATH that records each call
 * (a real build here would rewrite the jar the other tests run).
 */
class SourceTreeRebuildIT {

    @RegisterExtension
    static CorralHome home = new CorralHome();

    static Path tree;
    static Path calls;
    static Map<String, String> env;

    @BeforeAll
    static void copyATree() throws Exception {
        Path repo = SampleApp.repoRoot();
        tree = Files.createDirectories(home.path().resolve("tree"));
        for (String file : List.of("bin/control", "pom.xml", "workers/pom.xml", "proxy/pom.xml",
                "proxy/src/main/java/corral/proxy/control/ControlMain.java", "workers/src/main/java/corral/workers/home/HomeLayout.java")) {
            Files.createDirectories(tree.resolve(file).getParent());
            Files.copy(repo.resolve(file), tree.resolve(file), StandardCopyOption.COPY_ATTRIBUTES);
        }
        Files.createDirectories(tree.resolve("proxy/target/lib"));
        Files.copy(repo.resolve("proxy/target/corral-proxy.jar"), tree.resolve("proxy/target/corral-proxy.jar"));
        try (Stream<Path> libs = Files.list(repo.resolve("proxy/target/lib"))) {
            for (Path lib : (Iterable<Path>) libs::iterator) {
                Files.copy(lib, tree.resolve("proxy/target/lib").resolve(lib.getFileName()));
            }
        }
        Path bin = Files.createDirectories(home.path().resolve("fake-maven"));
        calls = home.path().resolve("mvn-calls.txt");
        Files.writeString(bin.resolve("mvn"), "#!/bin/sh\necho \"$@\" >> '" + calls + "'\n");
        Files.setPosixFilePermissions(bin.resolve("mvn"), PosixFilePermissions.fromString("rwxr-xr-x"));
        env = new java.util.HashMap<>(home.env());
        env.put("PATH", bin + ":" + System.getenv("PATH"));
        olderThanTheJar();
    }

    @Test
    void buildsOnlyWhenASourceIsNewerThanTheJar() throws Exception {
        assertEquals(List.of(), helpAndMavenCalls(), "a fresh jar: no build");

        touch("proxy/src/main/java/corral/proxy/control/ControlMain.java");
        List<String> after = helpAndMavenCalls();
        assertEquals(1, after.size(), "a newer source: one build " + after);
        assertTrue(after.get(0).contains("-pl proxy -am") && after.get(0).contains("package"), after.get(0));
        assertEquals(List.of(), helpAndMavenCalls(), "built once, fresh again (the jar's date moves even when unchanged)");

        for (String source : List.of("pom.xml", "workers/pom.xml", "workers/src/main/java/corral/workers/home/HomeLayout.java",
                "proxy/src/main/java/corral/proxy/control")) {
            olderThanTheJar();
            touch(source);
            assertEquals(1, helpAndMavenCalls().size(), source + " newer than the jar: a build");
        }
    }

    private static List<String> helpAndMavenCalls() throws IOException, InterruptedException {
        Files.deleteIfExists(calls);
        ProcessBuilder pb = new ProcessBuilder(tree.resolve("bin/control").toString(), "--help")
                .redirectErrorStream(true).redirectOutput(home.path().resolve("help.txt").toFile());
        pb.environment().putAll(env);
        int exit = pb.start().waitFor();
        String out = Files.readString(home.path().resolve("help.txt"));
        assertEquals(0, exit, out);
        assertTrue(out.contains("usage: bin/control"), "the client ran: " + out);
        assertFalse(Files.exists(tree.resolve("lib")), "a source tree, not a package");
        return Files.exists(calls) ? Files.readAllLines(calls) : List.of();
    }

    // A source changed a second ago (as by git pull), after the jar: dates, not a sleep, decide.
    private static void touch(String source) throws IOException {
        Files.setLastModifiedTime(tree.resolve(source), FileTime.from(Instant.now().minusSeconds(1)));
    }

    // Sources (and their directories: an added or removed file counts too) two hours old, the jar
    // built an hour ago.
    private static void olderThanTheJar() throws IOException {
        try (Stream<Path> all = Files.walk(tree)) {
            for (Path p : (Iterable<Path>) all::iterator) {
                Files.setLastModifiedTime(p, FileTime.from(Instant.now().minusSeconds(7200)));
            }
        }
        Files.setLastModifiedTime(tree.resolve("proxy/target/corral-proxy.jar"), FileTime.from(Instant.now().minusSeconds(3600)));
    }
}
