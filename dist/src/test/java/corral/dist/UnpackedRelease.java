package corral.dist;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import corral.fixtures.CorralHome;
import corral.fixtures.FreePorts;
import corral.fixtures.ProcessLeaks;
import corral.fixtures.TestHttp;
import corral.fixtures.StatusJson;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The release tarball ({@code corral.tarball}, set by failsafe) unpacked as an operator does, into
 * a test's {@link CorralHome}: the top directory's content becomes the home, so the package runs
 * with its default {@code CORRAL_HOME} (its own directory) and the leak check finds every process
 * it starts. Every command runs with an environment of its own: {@code PATH} is a directory of
 * links to every command of this machine's {@code PATH} except Maven's, and nothing else but
 * {@code HOME} and {@code CORRAL_HOME}.
 */
final class UnpackedRelease {

    /** What one command printed and returned. */
    record Result(int exit, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exit + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration COMMAND_LIMIT = Duration.ofSeconds(180);
    private static final Set<String> MAVEN = Set.of("mvn", "mvnDebug", "mvnyjp", "mvnw");
    private static final HttpClient HTTP = TestHttp.client(Duration.ofSeconds(5));

    final CorralHome home;
    final Path root;
    final Path tarball;
    final String topDirectory;
    final Path pathWithoutMaven;
    final int nuomiPort;
    final int h5Port;
    final int vhostPort;

    UnpackedRelease(CorralHome home) throws IOException, InterruptedException {
        this.home = home;
        this.root = home.path();
        this.tarball = Path.of(System.getProperty("corral.tarball", "target/corral.tar.gz"));
        if (!Files.isRegularFile(tarball)) {
            throw new IllegalStateException("no release package at " + tarball + ": run with failsafe after package");
        }
        this.topDirectory = tarball.getFileName().toString().replaceFirst("\\.tar\\.gz$", "");
        this.pathWithoutMaven = linkPathWithout(MAVEN);
        Result unpack = run(List.of("tar", "xzf", tarball.toString(), "-C", root.toString(), "--strip-components=1",
                topDirectory + "/"), Map.of());
        if (unpack.exit() != 0) {
            throw new IllegalStateException("tar failed: " + unpack);
        }
        int[] ports = FreePorts.pick(3);
        nuomiPort = ports[0];
        h5Port = ports[1];
        vhostPort = ports[2];
    }

    /** Every entry of the tarball, as {@code tar tzf} lists them. */
    List<String> listing() throws IOException, InterruptedException {
        Result r = run(List.of("tar", "tzf", tarball.toString()), Map.of());
        return r.out().lines().toList();
    }

    /**
     * Scales the shipped conf to this machine: instance counts, the apps' ports and the vhost's
     * listen port to free ones, and each {@code key = value} line of {@code properties} set in
     * conf/corral.properties (in place of the shipped line, else appended).
     */
    void fitShippedConf(int nuomiInstances, int h5Instances, String properties) throws IOException {
        Path pm2 = root.resolve("conf/pm2.json");
        String text = Files.readString(pm2)
                .replace("\"instances\": \"14\"", "\"instances\": \"" + nuomiInstances + "\"")
                .replace("\"instances\": \"10\"", "\"instances\": \"" + h5Instances + "\"")
                .replace("\"PORT\": 8197", "\"PORT\": " + nuomiPort)
                .replace("\"PORT\": 8198", "\"PORT\": " + h5Port);
        Files.writeString(pm2, text);
        Path vhost = root.resolve("conf/vhost/default.conf");
        Files.writeString(vhost, Files.readString(vhost).replaceAll("listen\\s+8080", "listen " + vhostPort));
        Path settings = root.resolve("conf/corral.properties");
        String shipped = Files.readString(settings);
        for (String line : properties.lines().filter(l -> l.contains("=")).toList()) {
            String key = line.substring(0, line.indexOf('=')).trim();
            Matcher at = Pattern.compile("(?m)^" + Pattern.quote(key) + "\\s*=.*$")
                    .matcher(shipped);
            shipped = at.find() ? at.replaceFirst(Matcher.quoteReplacement(line)) : shipped + line + "\n";
        }
        Files.writeString(settings, shipped);
    }

    /** The environment of every command: no Maven on the PATH, this home. */
    Map<String, String> env() {
        Map<String, String> env = new HashMap<>(home.env());
        env.put("PATH", pathWithoutMaven.toString());
        env.put("HOME", System.getProperty("user.home"));
        return env;
    }

    /** {@code bin/control args} of the package, waited for. */
    Result control(String... args) throws IOException, InterruptedException {
        return controlWith(env(), args);
    }

    Result controlWith(Map<String, String> env, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(root.resolve("bin/control").toString());
        cmd.addAll(List.of(args));
        return run(cmd, env);
    }

    /** Any command with this release's environment, waited for (3 min at most). */
    Result run(List<String> cmd, Map<String, String> env) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(root.toFile());
        if (!env.isEmpty()) {
            pb.environment().clear();
            pb.environment().putAll(env);
        }
        Path out = Files.createTempFile("corral-out", ".txt");
        Path err = Files.createTempFile("corral-err", ".txt");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        Process p = pb.start();
        try {
            if (!p.waitFor(COMMAND_LIMIT.toSeconds(), TimeUnit.SECONDS)) {
                throw new AssertionError(String.join(" ", cmd) + " did not finish in " + COMMAND_LIMIT);
            }
            return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            if (p.isAlive()) {
                ProcessLeaks.killTree(p.pid());
            }
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    /** Sends {@code signal} (e.g. HUP) to {@code pid} with kill(1), as systemd's ExecReload does. */
    void signal(long pid, String signal) throws IOException, InterruptedException {
        Result r = run(List.of("kill", "-" + signal, Long.toString(pid)), Map.of());
        if (r.exit() != 0) {
            throw new AssertionError("kill -" + signal + " " + pid + ": " + r);
        }
    }

    /** {@code status --json} through the package's bin/control. */
    JsonNode status() throws IOException, InterruptedException {
        Result r = control("status", "--json");
        if (r.exit() != 0) {
            throw new AssertionError("status failed: " + r);
        }
        return JSON.readTree(r.out());
    }

    /** The pids of {@code app}'s ready instances in a status ({@link StatusJson}). */
    static Set<Long> readyPids(JsonNode status, String app) {
        return StatusJson.readyPids(status, app);
    }

    /** GET on a loopback port; the status and body. */
    static HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** {@code bin/control kill}, then SIGKILL of the daemon's tree if it is still there (a test that failed half-way). */
    void kill() throws IOException, InterruptedException {
        long pid = daemonPid();
        if (pid > 0) {
            control("kill");
            if (ProcessLeaks.isRunning(pid)) {
                ProcessLeaks.killTree(pid);
            }
        }
    }

    /** The daemon's pid from {@code run/admin.json}, or 0 when none published one. */
    long daemonPid() throws IOException {
        Path endpoint = root.resolve("run/admin.json");
        return Files.exists(endpoint) ? JSON.readTree(endpoint.toFile()).path("pid").asLong() : 0;
    }

    Path log(String name) {
        return root.resolve("log").resolve(name);
    }

    // A PATH of one directory: a link to the first of each command name on this machine's PATH,
    // except those named in `without`. (Debian's /usr/bin holds mvn beside java and node.)
    private Path linkPathWithout(Set<String> without) throws IOException {
        Path dir = Files.createDirectories(root.resolve(".path-without-maven"));
        for (String entry : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(File.pathSeparator)) {
            Path d = Path.of(entry);
            if (entry.isEmpty() || !Files.isDirectory(d)) {
                continue;
            }
            try (Stream<Path> commands = Files.list(d)) {
                for (Path c : (Iterable<Path>) commands::iterator) {
                    String name = c.getFileName().toString();
                    Path link = dir.resolve(name);
                    if (!without.contains(name) && Files.isExecutable(c) && !Files.isDirectory(c) && !Files.exists(link, LinkOption.NOFOLLOW_LINKS)) {
                        Files.createSymbolicLink(link, c.toAbsolutePath());
                    }
                }
            }
        }
        return dir;
    }
}
