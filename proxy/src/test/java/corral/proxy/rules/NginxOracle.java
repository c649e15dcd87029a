package corral.proxy.rules;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.awaitility.Awaitility;

/**
 * A real nginx, run as a child process on a directory of vhost files, as the oracle of the
 * differential test. Its prefix, logs, pid file and temp paths are all in that directory;
 * {@link #close} ends it, and every process it started, by pid.
 */
public final class NginxOracle implements AutoCloseable {

    public static final Path BINARY = Path.of("/usr/sbin/nginx");

    private final Path dir;
    private final Process process;

    private NginxOracle(Path dir, Process process) {
        this.dir = dir;
        this.process = process;
    }

    public static boolean available() {
        return Files.isExecutable(BINARY);
    }

    /**
     * Starts nginx with an http block that defines one upstream per app (pointing at its echo
     * port) and includes {@code dir/*.conf}; waits until every port in {@code ports} answers.
     */
    public static NginxOracle start(Path dir, Map<String, Integer> upstreams, List<Integer> ports)
            throws IOException {
        // what Corral answers `return code text` with: text/plain, whatever the URI
        return start(dir, upstreams, ports, "    types { }\n    default_type text/plain;\n");
    }

    /**
     * As {@link #start(Path, Map, List)}, with the http level of Debian's nginx.conf for files
     * ({@code include mime.types}, {@code default_type application/octet-stream}): the level
     * Corral reads a vhost file into.
     */
    static NginxOracle startDebianTypes(Path dir, Map<String, Integer> upstreams, List<Integer> ports)
            throws IOException {
        return start(dir, upstreams, ports, "    include /etc/nginx/mime.types;\n    default_type application/octet-stream;\n");
    }

    private static NginxOracle start(Path dir, Map<String, Integer> upstreams, List<Integer> ports, String types)
            throws IOException {
        Path main = dir.resolve("nginx.main");
        Files.writeString(main, mainConfig(dir, upstreams, types), StandardCharsets.ISO_8859_1);
        Files.createDirectories(dir.resolve("tmp"));
        return launch(dir, main, "daemon off; master_process on;", ports);
    }

    /**
     * Starts nginx on a whole configuration ({@code main}, an nginx.conf with its own
     * {@code events} and {@code http}); its pid file, logs and temp paths go under {@code dir},
     * nginx's prefix.
     */
    static NginxOracle startMain(Path dir, Path main, List<Integer> ports) throws IOException {
        Files.createDirectories(dir.resolve("logs"));
        String user = System.getProperty("user.name").equals("root") ? " user root;" : "";
        return launch(dir, main, "daemon off; master_process on; pid " + dir.resolve("nginx.pid") + ";" + user, ports);
    }

    /** Runs nginx in the foreground on {@code main} with the {@code -g} directives, and waits for its ports. */
    private static NginxOracle launch(Path dir, Path main, String globals, List<Integer> ports) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(BINARY.toString(), "-p", dir + "/", "-c",
                main.toString(), "-e", dir.resolve("error.log").toString(), "-g", globals)
                .redirectOutput(dir.resolve("nginx.out").toFile())
                .redirectErrorStream(true);
        NginxOracle nginx = new NginxOracle(dir, pb.start());
        try {
            nginx.awaitPorts(ports);
        } catch (IOException | RuntimeException e) {
            nginx.close();
            throw e;
        }
        return nginx;
    }

    private static String mainConfig(Path dir, Map<String, Integer> upstreams, String types) {
        String tmp = dir.resolve("tmp").toString();
        String user = System.getProperty("user.name").equals("root") ? "user root;\n" : "";
        String ups = upstreams.entrySet().stream()
                .map(e -> "    upstream " + e.getKey() + " { server 127.0.0.1:" + e.getValue()
                        + "; }\n")
                .collect(Collectors.joining());
        return user
                + "worker_processes 1;\n"
                + "pid " + dir.resolve("nginx.pid") + ";\n"
                + "error_log " + dir.resolve("error.log") + " info;\n"
                + "events { worker_connections 256; }\n"
                + "http {\n"
                + "    access_log " + dir.resolve("access.log") + ";\n"
                + "    client_body_temp_path " + tmp + "/body;\n"
                + "    proxy_temp_path " + tmp + "/proxy;\n"
                + "    fastcgi_temp_path " + tmp + "/fastcgi;\n"
                + "    uwsgi_temp_path " + tmp + "/uwsgi;\n"
                + "    scgi_temp_path " + tmp + "/scgi;\n"
                + types
                + ups
                + "    include " + dir + "/*.conf;\n"
                + "}\n";
    }

    private void awaitPorts(List<Integer> ports) throws IOException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(15));
        for (int port : ports) {
            while (!accepts(port)) {
                if (!process.isAlive()) {
                    throw new IOException("nginx exited with " + process.exitValue() + ":\n"
                            + log());
                }
                if (Instant.now().isAfter(deadline)) {
                    throw new IOException("nginx does not listen on " + port + ":\n" + log());
                }
                sleep(50);
            }
        }
    }

    private static boolean accepts(int port) {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** {@code nginx -s reload}: SIGHUP to the master, which re-reads its files (or keeps the old ones and logs why). */
    /** The master's children when {@link #reload} sent its HUP. */
    private Set<Long> workersBeforeReload = Set.of();

    void reload() throws IOException {
        workersBeforeReload = process.children().map(ProcessHandle::pid).collect(Collectors.toSet());
        try {
            int exit = new ProcessBuilder("kill", "-HUP", Long.toString(process.pid())).start().waitFor();
            if (exit != 0) {
                throw new IOException("kill -HUP " + process.pid() + " exited with " + exit);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    /**
     * Waits until the workers of the configuration before {@link #reload} have exited. Until
     * then an old worker that has not yet seen its QUIT may still accept a connection and answer
     * it with the old configuration (and the old zones' state), after a new worker already did.
     * Only for a reload nginx accepted: a refused one keeps its workers.
     */
    void awaitOldWorkersGone() {
        Awaitility.await().atMost(Duration.ofSeconds(30))
                .until(() -> workersBeforeReload.stream().noneMatch(pid -> ProcessHandle.of(pid)
                        .map(ProcessHandle::isAlive).orElse(false)));
    }

    public String log() {
        try {
            String out = Files.exists(dir.resolve("nginx.out"))
                    ? Files.readString(dir.resolve("nginx.out"), StandardCharsets.ISO_8859_1) : "";
            String err = Files.exists(dir.resolve("error.log"))
                    ? Files.readString(dir.resolve("error.log"), StandardCharsets.ISO_8859_1) : "";
            return out + err;
        } catch (IOException e) {
            return "(log unreadable: " + e + ")";
        }
    }

    /** Ends the master (SIGTERM, then SIGKILL) and any worker left, each by its pid. */
    @Override
    public void close() {
        List<ProcessHandle> children = process.descendants().toList();
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        for (ProcessHandle child : children) {
            if (child.isAlive()) {
                child.destroyForcibly();
            }
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
