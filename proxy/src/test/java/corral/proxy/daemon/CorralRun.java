package corral.proxy.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import corral.fixtures.CorralHome;
import corral.fixtures.FreePorts;
import corral.fixtures.SampleApp;
import corral.fixtures.StatusJson;
import corral.fixtures.TestHttp;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Set;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A Corral installation for one test class: its own home, a copy of app.js in its own directory
 * (so a test may break "the release" there without touching anyone else), a pm2.json and vhost
 * rules on free ports, and {@link #control} to run {@code bin/control} as an operator would.
 */
final class CorralRun {

    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = TestHttp.client(Duration.ofSeconds(10));

    /** What one {@code bin/control} run printed and returned. */
    record Result(int exit, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exit + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    final CorralHome home;
    final Path dir;
    final Path conf;
    final Path vhost;
    final int nuomiPort;
    final int h5Port;
    final int vhostPort;
    /** The open-file limit ({@code ulimit -n}) a daemon started by {@code start} gets, or 0 for the test's own. */
    int fdLimit;
    /** Whether {@code start} runs with SIGHUP ignored, as from a shell under nohup. */
    boolean hangupIgnored;
    /** More environment for every {@code bin/control} run (and so for a daemon it starts). */
    final Map<String, String> extraEnv = new java.util.HashMap<>();

    CorralRun(CorralHome home, int nuomiInstances, int h5Instances) throws IOException {
        this.home = home;
        this.dir = Files.createDirectories(home.path().resolve("release"));
        Files.copy(SampleApp.appJs(), dir.resolve("app.js"));
        int[] ports = FreePorts.pick(3);
        nuomiPort = ports[0];
        h5Port = ports[1];
        vhostPort = ports[2];
        conf = dir.resolve("pm2.json");
        writeConf(nuomiInstances, h5Instances, "");
        vhost = Files.createDirectories(dir.resolve("vhost"));
        Files.writeString(vhost.resolve("default.conf"), String.join("\n",
                "server {",
                "    listen " + vhostPort + ";",
                "    server_name _;",
                "    rewrite ^/m/(.*)$ /h5/page/$1 last;",
                "    location /nuomi/ { proxy_pass http://nuomi; }",
                "    location /h5/ { proxy_pass http://h5; }",
                "    location = /ngx-ok { return 200 \"ok\"; }",
                "}", ""));
    }

    /** An installation that runs {@code conf}, any ecosystem file where it lies, with no vhost rules. */
    CorralRun(CorralHome home, Path conf) throws IOException {
        this(home, conf, Files.createDirectories(home.path().resolve("no-vhost")));
    }

    /** An installation that runs {@code conf} with the vhost rules of {@code vhost}. */
    CorralRun(CorralHome home, Path conf, Path vhost) {
        this.home = home;
        this.dir = conf.getParent();
        this.conf = conf;
        int[] ports = FreePorts.pick(3);
        nuomiPort = ports[0];
        h5Port = ports[1];
        vhostPort = ports[2];
        this.vhost = vhost;
    }

    /** Rewrites pm2.json; {@code h5Extra} is spliced into h5's env object (e.g. {@code ,"X":"1"}). */
    void writeConf(int nuomiInstances, int h5Instances, String h5Extra) throws IOException {
        Files.writeString(conf, """
                {
                  // the seed's layout, scaled to this 2-core machine
                  "apps": [{
                    "name": "nuomi", "script": "app.js", "exec_mode": "cluster_mode",
                    "instances": "%d", "kill_timeout": 1500, "max_memory_restart": "300M",
                    "env": { "PORT": %d, "APP_NAME": "nuomi" }
                  }, {
                    "name": "h5", "script": "app.js", "exec_mode": "cluster_mode",
                    "instances": "%d", "kill_timeout": 2000, "listen_timeout": 4000,
                    "env": { "PORT": %d, "APP_NAME": "h5"%s }
                  }]
                }
                """.formatted(nuomiInstances, nuomiPort, h5Instances, h5Port, h5Extra));
    }

    Result control(String... args) throws IOException, InterruptedException {
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
        try {
            pb.redirectOutput(out.toFile()).redirectError(err.toFile());
            Process p = pb.start();
            if (!p.waitFor(180, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("bin/control " + String.join(" ", args) + " did not finish in 180 s");
            }
            return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    /** Runs {@code bin/control args} as {@link #control} does; the test fails unless it exits 0. */
    Result ok(String... args) throws IOException, InterruptedException {
        Result r = control(args);
        assertEquals(0, r.exit(), r.toString());
        return r;
    }

    /** {@code bin/control status --json}, read; the test fails unless it exits 0. */
    JsonNode status() throws IOException, InterruptedException {
        return JSON.readTree(ok("status", "--json").out());
    }

    /** The instances of {@code app} that are ready now, by pid, from {@code status --json}. */
    Set<Long> readyPids(String app) throws IOException, InterruptedException {
        Result r = control("status", "--json");
        if (r.exit() != 0) {
            throw new AssertionError("status failed: " + r);
        }
        return StatusJson.readyPids(JSON.readTree(r.out()), app);
    }

    /** GET on a loopback port, answered or failed within 10 s. */
    static HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    Path corralHome() {
        return home.path();
    }

    Map<String, String> env() {
        return home.env();
    }
}
