package corral.proxy.install;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import corral.fixtures.CorralHome;
import corral.fixtures.FreePorts;
import corral.fixtures.ProcessLeaks;
import corral.fixtures.SampleApp;
import corral.fixtures.StatusJson;
import corral.fixtures.TestHttp;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A Corral installation for one test class, set up as an operator sets one up: its own
 * {@code CORRAL_HOME} ({@link CorralHome}), {@code app.js} in a release directory (so a test may
 * break "the release" there without touching anyone else), and beside it the good configuration
 * of the bad-input corpus ({@code badinput/config/good/}: nuomi and h5 behind vhost rules) on
 * free ports. {@link #control} runs {@code bin/control} against it as an operator would;
 * {@link #status()} reads the daemon through {@code bin/control status --json}, and
 * {@link #adminStatus()} through the admin API with the token of {@code run/token}, without a
 * {@code bin/control} (a JVM start) of its own, for tests that read it often.
 */
public final class CorralInstall {

    public static final ObjectMapper JSON = new ObjectMapper();
    public static final HttpClient HTTP = TestHttp.client(Duration.ofSeconds(10));

    /** The directory of the bad-input corpus and of the good configuration, as test resources. */
    public static final Path CONFIG = resource("/badinput/config");

    private static final Duration COMMAND_LIMIT = Duration.ofSeconds(180);

    /** What one {@code bin/control} run printed and returned. */
    public record Result(int exit, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exit + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    public final CorralHome home;
    /** Where app.js, pm2.json and vhost/ live, as a release directory does. */
    public final Path release;
    public final Path conf;
    public final Path vhost;
    public final int nuomiPort;
    public final int h5Port;
    public final int vhostPort;
    /** The open-file limit ({@code ulimit -n}) a daemon started by {@code start} gets, or 0 for the test's own. */
    public int fdLimit;
    /** Whether {@code start} runs with SIGHUP ignored, as from a shell under nohup. */
    public boolean hangupIgnored;
    /** More environment for every {@code bin/control} run (and so for a daemon it starts). */
    public final Map<String, String> extraEnv = new HashMap<>();

    /** An installation of the good configuration with two instances of each app. */
    public CorralInstall(CorralHome home) throws IOException {
        this(home, 2, 2);
    }

    /** An installation of the good configuration with these instance counts. */
    public CorralInstall(CorralHome home, int nuomiInstances, int h5Instances) throws IOException {
        this.home = home;
        this.release = Files.createDirectories(home.path().resolve("release"));
        Files.copy(SampleApp.appJs(), release.resolve("app.js"));
        int[] ports = FreePorts.pick(3);
        nuomiPort = ports[0];
        h5Port = ports[1];
        vhostPort = ports[2];
        conf = release.resolve("pm2.json");
        vhost = Files.createDirectories(release.resolve("vhost"));
        writeGoodConfig(nuomiInstances, h5Instances, "");
    }

    /** An installation that runs {@code conf}, any ecosystem file where it lies, with no vhost rules. */
    public CorralInstall(CorralHome home, Path conf) throws IOException {
        this(home, conf, Files.createDirectories(home.path().resolve("no-vhost")));
    }

    /** An installation that runs {@code conf} with the vhost rules of {@code vhost}. */
    public CorralInstall(CorralHome home, Path conf, Path vhost) {
        this.home = home;
        this.release = conf.getParent();
        this.conf = conf;
        int[] ports = FreePorts.pick(3);
        nuomiPort = ports[0];
        h5Port = ports[1];
        vhostPort = ports[2];
        this.vhost = vhost;
    }

    // ---- configuration ---------------------------------------------------------------------

    /** Writes the good pm2.json ({@link #writeConf(int, int, String)}) and the good vhost rules. */
    public void writeGoodConfig(int nuomiInstances, int h5Instances, String h5Env) throws IOException {
        writeConf(nuomiInstances, h5Instances, h5Env);
        writeVhost(List.of(CONFIG.resolve("good/vhost/default.conf")));
    }

    /** Rewrites pm2.json only, as the good one with these counts; {@code h5Env} is spliced into h5's env (e.g. {@code ,"X":"1"}). */
    public void writeConf(int nuomiInstances, int h5Instances, String h5Env) throws IOException {
        String pm2 = Files.readString(CONFIG.resolve("good/pm2.json"))
                .replace("@NUOMI_INSTANCES@", Integer.toString(nuomiInstances))
                .replace("@H5_INSTANCES@", Integer.toString(h5Instances))
                .replace("@H5_EXTRA_ENV@", h5Env);
        Files.writeString(conf, substitute(pm2));
    }

    /** Writes {@code source} (ports substituted) as this installation's pm2.json. */
    public void writeConf(Path source) throws IOException {
        Files.write(conf, substitute(Files.readAllBytes(source)));
    }

    /** Makes {@code files} (ports substituted) the only files of the vhost directory. */
    public void writeVhost(List<Path> files) throws IOException {
        clearVhost();
        for (Path file : files) {
            Files.write(vhost.resolve(file.getFileName().toString()), substitute(Files.readAllBytes(file)));
        }
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
     * Runs {@code bin/control args} for this home and waits (3 min at most, then its tree is
     * killed). {@code start} and {@code check} get this installation's {@code --conf} and
     * {@code --vhost}, {@link #hangupIgnored} and {@link #fdLimit}.
     */
    public Result control(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(SampleApp.repoRoot().resolve("bin/control").toString());
        cmd.addAll(List.of(args));
        if (args.length > 0 && (args[0].equals("start") || args[0].equals("check"))) {
            cmd.addAll(List.of("--conf", conf.toString(), "--vhost", vhost.toString()));
            if (hangupIgnored) {
                cmd.addAll(0, List.of("bash", "-c", "trap '' HUP && exec \"$@\"", "bash"));
            }
            if (fdLimit > 0) {
                cmd.addAll(0, List.of("bash", "-c", "ulimit -n " + fdLimit + " && exec \"$@\"", "bash"));
            }
        }
        ProcessBuilder pb = new ProcessBuilder(cmd);
        home.applyTo(pb); // CORRAL_HOME: the daemon and every worker carry it, so the leak check finds them
        pb.environment().putAll(extraEnv);
        // Captured outside the home: a test may fill the home's disk, and the command must still be heard.
        Path out = Files.createTempFile("corral-control-out", ".txt");
        Path err = Files.createTempFile("corral-control-err", ".txt");
        Process p = null;
        try {
            pb.redirectOutput(out.toFile()).redirectError(err.toFile());
            p = pb.start();
            if (!p.waitFor(COMMAND_LIMIT.toSeconds(), TimeUnit.SECONDS)) {
                throw new AssertionError("bin/control " + String.join(" ", args) + " did not finish in "
                        + COMMAND_LIMIT.toSeconds() + " s");
            }
            return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            if (p != null && p.isAlive()) {
                ProcessLeaks.killTree(p.pid());
            }
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    /** Runs {@code bin/control args} as {@link #control} does; the test fails unless it exits 0. */
    public Result ok(String... args) throws IOException, InterruptedException {
        Result r = control(args);
        assertEquals(0, r.exit(), r.toString());
        return r;
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

    // ---- observation -----------------------------------------------------------------------

    /** {@code bin/control status --json}, read; the test fails unless it exits 0. */
    public JsonNode status() throws IOException, InterruptedException {
        return JSON.readTree(ok("status", "--json").out());
    }

    /** The instances of {@code app} that are ready now, by pid, from {@code status --json}. */
    public Set<Long> readyPids(String app) throws IOException, InterruptedException {
        Result r = control("status", "--json");
        if (r.exit() != 0) {
            throw new AssertionError("status failed: " + r);
        }
        return StatusJson.readyPids(JSON.readTree(r.out()), app);
    }

    /** {@code GET /v1/status} with the token: what {@code bin/control status --json} prints. */
    public JsonNode adminStatus() throws IOException, InterruptedException {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + adminPort() + "/v1/status"))
                .header("X-Corral-Token", token()).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IOException("admin status answered " + r.statusCode() + ": " + r.body());
        }
        return JSON.readTree(r.body());
    }

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

    /** GET on a loopback port, answered or failed within 10 s. */
    public static HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
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
