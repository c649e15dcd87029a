package corral.proxy.badinput;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import corral.fixtures.CorralHome;
import corral.fixtures.FreePorts;
import corral.fixtures.ProcessLeaks;
import corral.fixtures.SampleApp;
import corral.fixtures.TestHttp;
import corral.fixtures.StatusJson;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A Corral installation for one test class, set up as an operator sets one up: its own
 * {@code CORRAL_HOME} ({@link CorralHome}), {@code app.js} in a release directory, and beside it
 * the good configuration of the bad-input corpus ({@code badinput/config/good/}) on free ports.
 * {@link #control} runs {@code bin/control} against it; {@link #status()} and {@link #readyPids}
 * observe the daemon through its admin API with the token of {@code run/token}, without a
 * {@code bin/control} of their own. (After the daemon package's {@code CorralRun}.)
 */
public final class CorralInstall {

    /** What one {@code bin/control} run printed and returned. */
    public record Result(int exit, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exit + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    /** The directory of the corpus and the good configuration, as test resources. */
    public static final Path CONFIG = resource("/badinput/config");

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration COMMAND_LIMIT = Duration.ofSeconds(180);

    public final CorralHome home;
    /** Where app.js, pm2.json and vhost/ live, as a release directory does. */
    public final Path release;
    public final Path conf;
    public final Path vhost;
    public final int nuomiPort;
    public final int h5Port;
    public final int vhostPort;
    private final HttpClient http = TestHttp.client(Duration.ofSeconds(5));

    public CorralInstall(CorralHome home) throws IOException {
        this.home = home;
        this.release = Files.createDirectories(home.path().resolve("release"));
        Files.copy(SampleApp.appJs(), release.resolve("app.js"));
        int[] ports = FreePorts.pick(3);
        nuomiPort = ports[0];
        h5Port = ports[1];
        vhostPort = ports[2];
        conf = release.resolve("pm2.json");
        vhost = Files.createDirectories(release.resolve("vhost"));
        writeGoodConfig(2, 2, "");
    }

    // ---- configuration ---------------------------------------------------------------------

    /** Writes the good pm2.json with these counts ({@code h5Env} is spliced into h5's env) and the good rules. */
    public void writeGoodConfig(int nuomiInstances, int h5Instances, String h5Env) throws IOException {
        String pm2 = Files.readString(CONFIG.resolve("good/pm2.json"))
                .replace("@NUOMI_INSTANCES@", Integer.toString(nuomiInstances))
                .replace("@H5_INSTANCES@", Integer.toString(h5Instances))
                .replace("@H5_EXTRA_ENV@", h5Env);
        Files.writeString(conf, substitute(pm2));
        writeVhost(List.of(CONFIG.resolve("good/vhost/default.conf")));
    }

    /** Makes {@code files} (ports substituted) the only files of the vhost directory. */
    public void writeVhost(List<Path> files) throws IOException {
        clearVhost();
        for (Path file : files) {
            Files.write(vhost.resolve(file.getFileName().toString()), substitute(Files.readAllBytes(file)));
        }
    }

    /** Writes {@code source} (ports substituted) as this installation's pm2.json. */
    public void writeConf(Path source) throws IOException {
        Files.write(conf, substitute(Files.readAllBytes(source)));
    }

    /** The text with the corpus placeholders replaced by this installation's ports. */
    public String substitute(String text) {
        return text.replace("@NUOMI_PORT@", Integer.toString(nuomiPort))
                .replace("@H5_PORT@", Integer.toString(h5Port))
                .replace("@VHOST_PORT@", Integer.toString(vhostPort));
    }

    // Byte for byte outside the placeholders (ASCII), so a case may hold bytes that are not UTF-8.
    private byte[] substitute(byte[] bytes) {
        return substitute(new String(bytes, StandardCharsets.ISO_8859_1)).getBytes(StandardCharsets.ISO_8859_1);
    }

    private void clearVhost() throws IOException {
        try (Stream<Path> files = Files.list(vhost)) {
            for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(f);
            }
        }
    }

    // ---- bin/control -----------------------------------------------------------------------

    /**
     * Runs {@code bin/control args} for this home and waits (3 min at most, then it is killed).
     * {@code start} gets this installation's {@code --conf} and {@code --vhost}.
     */
    public Result control(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(SampleApp.repoRoot().resolve("bin/control").toString());
        cmd.addAll(List.of(args));
        if (args.length > 0 && (args[0].equals("start") || args[0].equals("check"))) {
            cmd.addAll(List.of("--conf", conf.toString(), "--vhost", vhost.toString()));
        }
        ProcessBuilder pb = new ProcessBuilder(cmd);
        home.applyTo(pb); // the daemon and every worker carry CORRAL_HOME: the leak check finds them
        Path out = Files.createTempFile(home.path(), "out", ".txt");
        Path err = Files.createTempFile(home.path(), "err", ".txt");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile());
        Process p = pb.start();
        try {
            if (!p.waitFor(COMMAND_LIMIT.toSeconds(), TimeUnit.SECONDS)) {
                throw new AssertionError("bin/control " + String.join(" ", args) + " did not finish in " + COMMAND_LIMIT);
            }
            return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            if (p.isAlive()) {
                ProcessLeaks.killTree(p.pid());
            }
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    /**
     * Stops the daemon: {@code bin/control kill}, then SIGKILL of the daemon's tree if it is still
     * there (so a test that failed half-way still ends what it started).
     */
    public void kill() throws IOException, InterruptedException {
        long pid = daemonPid();
        if (pid <= 0) {
            return;
        }
        try {
            control("kill");
        } finally {
            if (ProcessLeaks.isRunning(pid)) {
                ProcessLeaks.killTree(pid);
            }
        }
    }

    // ---- observation through the admin API -------------------------------------------------

    /** The daemon's pid from {@code run/admin.json}, or 0 when no daemon published one. */
    public long daemonPid() throws IOException {
        Path endpoint = runDir().resolve("admin.json");
        return Files.exists(endpoint) ? JSON.readTree(endpoint.toFile()).path("pid").asLong() : 0;
    }

    /** The admin API's port from {@code run/admin.json}. */
    public int adminPort() throws IOException {
        return JSON.readTree(runDir().resolve("admin.json").toFile()).path("port").asInt();
    }

    /** The admin token from {@code run/token}. */
    public String token() throws IOException {
        return Files.readString(runDir().resolve("token"), StandardCharsets.US_ASCII).trim();
    }

    public Path runDir() {
        return home.path().resolve("run");
    }

    public Path logDir() {
        return home.path().resolve("log");
    }

    /** {@code GET /v1/status} with the token: what {@code bin/control status --json} prints. */
    public JsonNode status() throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + adminPort() + "/v1/status"))
                .header("X-Corral-Token", token()).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IOException("admin status answered " + r.statusCode() + ": " + r.body());
        }
        return JSON.readTree(r.body());
    }

    /** The pids of {@code app}'s ready instances in a status ({@link StatusJson}). */
    public static Set<Long> readyPids(JsonNode status, String app) {
        return StatusJson.readyPids(status, app);
    }

    /** Every pid the status shows, whatever the state, of every app. */
    public static Set<Long> allPids(JsonNode status) {
        Set<Long> pids = new TreeSet<>();
        for (JsonNode a : status.path("apps")) {
            for (JsonNode i : a.path("instances")) {
                if (i.path("pid").asLong() > 0) {
                    pids.add(i.path("pid").asLong());
                }
            }
        }
        return pids;
    }

    private static Path resource(String name) {
        URL url = Objects.requireNonNull(CorralInstall.class.getResource(name), "test resource " + name + " is missing");
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException("test resource " + name + ": " + e.getMessage(), e);
        }
    }
}
