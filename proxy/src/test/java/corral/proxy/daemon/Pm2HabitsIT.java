package corral.proxy.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import corral.fixtures.CorralHome;
import corral.fixtures.SampleApp;
import corral.proxy.install.CorralInstall;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code bin/control} as a PM2 user types it, against a real daemon: {@code ls}/{@code list}/
 * {@code jlist}, {@code describe}, {@code status <app>}, {@code all} and several names,
 * {@code scale +N/-N}, typed errors, completion, and {@code logs} on files named by
 * {@code out_file}/{@code error_file}, followed across a rotation.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class Pm2HabitsIT {

    @RegisterExtension
    static final CorralHome HOME = new CorralHome();

    static CorralInstall corral;
    static Path logs;

    @BeforeAll
    static void start() throws Exception {
        corral = new CorralInstall(HOME, 1, 1);
        logs = Files.createDirectories(corral.release.resolve("app-logs"));
        // h5 writes where pm2.json says (out_file/error_file), nuomi to Corral's default names.
        Files.writeString(corral.conf, """
                {
                  "apps": [{
                    "name": "nuomi", "script": "app.js", "instances": 1, "kill_timeout": 1500,
                    "env": { "PORT": %d, "APP_NAME": "nuomi" }
                  }, {
                    "name": "h5", "script": "app.js", "instances": 1, "kill_timeout": 1500,
                    "out_file": "%s", "error_file": "%s",
                    "env": { "PORT": %d, "APP_NAME": "h5" }
                  }]
                }
                """.formatted(corral.nuomiPort, logs.resolve("h5.out.log"), logs.resolve("h5.err.log"), corral.h5Port));
        corral.ok("start");
    }

    @AfterAll
    static void kill() throws Exception {
        if (corral != null) {
            corral.control("kill");
        }
    }

    static CorralInstall.Result ok(String... args) throws Exception {
        return corral.ok(args);
    }

    static int configured(String app) throws Exception {
        for (JsonNode a : CorralInstall.JSON.readTree(ok("jlist").out()).path("apps")) {
            if (a.path("name").asText().equals(app)) {
                return a.path("configured").asInt();
            }
        }
        throw new AssertionError("no app " + app);
    }

    @Test
    @Order(1)
    void lsListAndStatusPrintTheSameTableAndJlistIsStatusJson() throws Exception {
        String status = ok("status").out();
        for (String alias : List.of("ls", "list")) {
            String table = ok(alias).out();
            assertTrue(table.startsWith("app "), table);
            assertEquals(status.lines().filter(l -> l.startsWith("h5: ")).toList(),
                    table.lines().filter(l -> l.startsWith("h5: ")).toList());
        }
        JsonNode jlist = CorralInstall.JSON.readTree(ok("jlist").out());
        JsonNode json = CorralInstall.JSON.readTree(ok("status", "--json").out());
        assertEquals(Set.of("nuomi", "h5"), Set.copyOf(names(jlist)));
        assertEquals(names(json), names(jlist));

        String h5 = ok("status", "h5").out();
        assertTrue(h5.contains("h5: 1/1 ready"), h5);
        assertFalse(h5.contains("nuomi"), h5);
        assertEquals(List.of("h5"), names(CorralInstall.JSON.readTree(ok("ls", "h5", "--json").out())));

        CorralInstall.Result unknown = corral.control("status", "h6");
        assertEquals(1, unknown.exit(), unknown.toString());
        assertTrue(unknown.err().contains("no app named 'h6' runs (apps: "), unknown.toString());
    }

    @Test
    @Order(2)
    void describeShowsOneAppWithItsConfiguredLogFiles() throws Exception {
        String d = ok("describe", "h5").out();
        assertTrue(d.startsWith("Describing h5\n"), d);
        assertTrue(d.contains("public port  " + corral.h5Port), d);
        assertTrue(d.contains("health       up"), d);
        assertTrue(d.contains("out log      " + logs.resolve("h5.out-0.log")), d);
        assertTrue(d.contains("error log    " + logs.resolve("h5.err-0.log")), d);
        assertFalse(d.contains("nuomi"), d);
        String both = ok("describe", "all").out();
        assertTrue(both.contains("Describing nuomi") && both.contains("Describing h5"), both);
    }

    @Test
    @Order(3)
    void scaleTakesARelativeChangeOrACount() throws Exception {
        ok("scale", "h5", "+2");
        assertEquals(3, configured("h5"));
        assertEquals(3, corral.readyPids("h5").size());
        ok("scale", "h5", "-1");
        assertEquals(2, corral.readyPids("h5").size());
        ok("scale", "h5", "1");
        assertEquals(1, corral.readyPids("h5").size());

        CorralInstall.Result tooFew = corral.control("scale", "h5", "-1");
        assertEquals(1, tooFew.exit(), tooFew.toString());
        assertTrue(tooFew.err().contains("instances must be at least 1"), tooFew.toString());
        assertEquals(1, corral.readyPids("h5").size());
    }

    @Test
    @Order(4)
    void severalAppsAtOnceOrAllAndTheFirstFailureStopsTheRest() throws Exception {
        Set<Long> nuomi = corral.readyPids("nuomi");
        Set<Long> h5 = corral.readyPids("h5");
        CorralInstall.Result typo = corral.control("restart", "h6", "h5");
        assertEquals(1, typo.exit(), typo.toString());
        assertTrue(typo.err().contains("no app named 'h6'"), typo.toString());
        assertTrue(typo.err().contains("not done, after that failure: h5"), typo.toString());
        assertEquals(h5, corral.readyPids("h5"), "h5 was not restarted");

        ok("restart", "nuomi", "h5");
        Set<Long> nuomi2 = corral.readyPids("nuomi");
        Set<Long> h52 = corral.readyPids("h5");
        assertTrue(java.util.Collections.disjoint(nuomi, nuomi2) && java.util.Collections.disjoint(h5, h52));

        CorralInstall.Result all = ok("restart", "all");
        assertTrue(all.out().contains("nuomi restarted") || all.out().contains("restarted nuomi"), all.toString());
        assertTrue(java.util.Collections.disjoint(nuomi2, corral.readyPids("nuomi")));
        assertTrue(java.util.Collections.disjoint(h52, corral.readyPids("h5")));
    }

    @Test
    @Order(5)
    void aWrongArgumentIsOneLineAndExitTwo() throws Exception {
        List<List<String>> wrong = List.of(
                List.of("logs", "h5", "--lines", "abc"),
                List.of("scale", "h5", "lots"),
                List.of("scale", "h5"),
                List.of("stop"),
                List.of("status", "--bogus"),
                List.of("reload", "h5", "--parallel", "0"),
                List.of("relaod", "h5"));
        for (List<String> args : wrong) {
            CorralInstall.Result r = corral.control(args.toArray(String[]::new));
            assertEquals(2, r.exit(), r.toString());
            assertEquals(1, r.err().lines().count(), "one line: " + r);
            assertTrue(r.err().startsWith("bin/control"), r.toString());
            assertFalse(r.err().contains("Exception") || r.err().contains("\tat "), r.toString());
        }
        assertTrue(corral.control("logs", "h5", "--lines", "abc").err()
                .contains("--lines': 'abc' is not a whole number"));
    }

    @Test
    @Order(6)
    void completionIsABashScriptThatKnowsEveryCommand() throws Exception {
        String script = ok("completion").out();
        Path file = Files.writeString(corral.release.resolve("control-completion.bash"), script);
        Process bash = new ProcessBuilder("bash", "-c", "source \"$0\" && COMP_WORDS=(bin/control des) && COMP_CWORD=1 && COMP_LINE='bin/control des'"
                + " && _complete_control && echo \"${COMPREPLY[@]}\"", file.toString()).redirectErrorStream(true).start();
        try {
            assertTrue(bash.waitFor(30, TimeUnit.SECONDS));
            String replies = new String(bash.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            assertEquals(0, bash.exitValue(), replies);
            assertEquals("describe", replies);
        } finally {
            bash.destroyForcibly();
        }
    }

    @Test
    @Order(7)
    void logsPrintsTheConfiguredFilesByStreamAndAsJson() throws Exception {
        assertEquals(200, CorralInstall.get(corral.h5Port, "/h5/log?n=3&id=outline").statusCode());
        assertEquals(200, CorralInstall.get(corral.h5Port, "/h5/log?n=2&id=errline&err=1").statusCode());

        // stdout ends with seq=0..2, then app.js's access lines of both requests
        String out = ok("logs", "h5", "--out", "--lines", "4", "--nostream").out();
        assertTrue(out.contains("==> " + logs.resolve("h5.out-0.log") + " <=="), out);
        assertFalse(out.contains("h5.err-0.log"), out);
        assertEquals(2, out.lines().filter(l -> l.startsWith("log id=outline")).count(), out);
        assertTrue(out.contains("seq=2"), "the last lines: " + out);

        String err = ok("logs", "h5", "--err", "--nostream").out();
        assertEquals(2, err.lines().filter(l -> l.startsWith("log id=errline")).count(), err);
        assertFalse(err.contains("outline"), err);

        String json = ok("logs", "h5", "--err", "--json", "--lines", "1").out();
        JsonNode line = CorralInstall.JSON.readTree(json.lines().findFirst().orElseThrow());
        assertEquals("h5", line.path("app_name").asText());
        assertEquals("err", line.path("type").asText());
        assertTrue(line.path("message").asText().startsWith("log id=errline seq=1"), json);
    }

    @Test
    @Order(8)
    void logsFollowsAFileAcrossARotation() throws Exception {
        Path out = corral.release.resolve("follow.out");
        assertEquals(200, CorralInstall.get(corral.h5Port, "/h5/log?n=5&id=before").statusCode());
        List<String> cmd = new ArrayList<>(List.of(SampleApp.repoRoot().resolve("bin/control").toString(),
                "logs", "h5", "--out", "--follow", "--lines", "6", "--json"));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectErrorStream(true);
        HOME.applyTo(pb);
        Process follow = pb.start();
        try {
            awaitLogLine(out, follow, "id=before seq=4"); // the last 6 lines: seq=0..4 and the access line

            Path file = logs.resolve("h5.out-0.log");
            Files.move(file, logs.resolve("h5.out-0.log.1"));
            assertEquals(200, CorralInstall.get(corral.h5Port, "/h5/log?n=5&id=late").statusCode()); // still the old file
            ok("reopen-logs");
            assertEquals(200, CorralInstall.get(corral.h5Port, "/h5/log?n=5&id=after").statusCode());

            awaitLogLine(out, follow, "id=late seq=4");
            awaitLogLine(out, follow, "id=after seq=4");
            String printed = Files.readString(out);
            for (String id : List.of("before", "late", "after")) {
                assertEquals(5, printed.lines().filter(l -> l.contains("\"message\":\"log id=" + id + " ")).count(), printed);
            }
        } finally {
            follow.destroy();
            if (!follow.waitFor(10, TimeUnit.SECONDS)) {
                follow.destroyForcibly().waitFor();
            }
        }
    }

    /** Waits until the follower has printed a line containing {@code text}. */
    static void awaitLogLine(Path file, Process follower, String text) throws Exception {
        Awaitility.await("'" + text + "' from logs --follow").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .failFast("logs --follow ended", () -> !follower.isAlive()
                        && Files.readString(file).lines().noneMatch(l -> l.contains(text)))
                .untilAsserted(() -> assertTrue(Files.readString(file).lines().anyMatch(l -> l.contains(text)),
                        "no '" + text + "' in " + Files.readString(file)));
    }

    static List<String> names(JsonNode status) {
        List<String> names = new ArrayList<>();
        status.path("apps").forEach(a -> names.add(a.path("name").asText()));
        return names;
    }
}
