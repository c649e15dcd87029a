package corral.proxy.fleet;

import corral.fixtures.CorralHome;
import corral.fixtures.FreePorts;
import corral.fixtures.ProcessLeaks;
import corral.fixtures.SampleApp;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A real HAProxy in front of the fleet, run from the shipped {@code deploy/haproxy/haproxy.cfg}
 * with only its {@code server} lines replaced by the test's hosts and its site settings (bind,
 * stats socket, check timings) given in the environment, as an operator gives them. What HAProxy
 * thinks of each host is read from its stats socket ({@code show stat}).
 */
final class HaproxyVip implements AutoCloseable {

    static final String BACKEND = "corral_fleet";

    final int port;
    final Path socket;
    final Path log;
    private final Process process;

    private HaproxyVip(int port, Path socket, Path log, Process process) {
        this.port = port;
        this.socket = socket;
        this.log = log;
        this.process = process;
    }

    /**
     * Starts HAProxy in the foreground ({@code -db}) for {@code hosts}, checking each host's vhost
     * port every {@code inter} ms, {@code fall}/{@code rise} checks to mark it down/up.
     */
    static HaproxyVip start(CorralHome home, List<FleetHost> hosts, int interMs, int fall, int rise)
            throws IOException, InterruptedException {
        Path dir = Files.createDirectories(home.path().resolve("haproxy"));
        Path cfg = dir.resolve("haproxy.cfg");
        Files.writeString(cfg, withServers(Files.readString(shipped()), hosts));
        int port = FreePorts.pick();
        Path socket = dir.resolve("stats.sock");
        Path log = dir.resolve("haproxy.log");
        ProcessBuilder pb = new ProcessBuilder("haproxy", "-db", "-f", cfg.toString());
        home.applyTo(pb);
        pb.environment().putAll(Map.of(
                "CORRAL_VIP_BIND", "127.0.0.1:" + port,
                "CORRAL_HAPROXY_SOCKET", socket.toString(),
                "CORRAL_HAPROXY_LOG", "stdout",
                "CORRAL_CHECK_INTER", interMs + "ms",
                "CORRAL_CHECK_FALL", Integer.toString(fall),
                "CORRAL_CHECK_RISE", Integer.toString(rise)));
        pb.redirectErrorStream(true).redirectOutput(log.toFile());
        HaproxyVip vip = new HaproxyVip(port, socket, log, pb.start());
        vip.awaitAllUp(hosts.size(), Duration.ofSeconds(60));
        return vip;
    }

    /** The shipped configuration with its example {@code server} lines replaced by the test's hosts. */
    static String withServers(String shipped, List<FleetHost> hosts) {
        String servers = hosts.stream()
                .map(h -> "    server " + h.name + " 127.0.0.1:" + h.corral.vhostPort)
                .collect(Collectors.joining("\n"));
        String[] lines = shipped.split("\n", -1);
        StringBuilder out = new StringBuilder();
        boolean replaced = false;
        for (String line : lines) {
            if (line.trim().startsWith("server ")) {
                if (!replaced) {
                    out.append(servers).append('\n');
                    replaced = true;
                }
            } else {
                out.append(line).append('\n');
            }
        }
        if (!replaced) {
            throw new AssertionError("deploy/haproxy/haproxy.cfg has no server line to replace");
        }
        return out.toString();
    }

    static Path shipped() {
        return SampleApp.repoRoot().resolve("deploy/haproxy/haproxy.cfg");
    }

    /** Each server of the fleet's backend and its status: UP, DOWN, "UP 1/2" (going down), "DOWN 1/2" (coming up), MAINT. */
    Map<String, String> servers() throws IOException {
        String[] lines = command("show stat").split("\n");
        if (lines.length == 0 || !lines[0].startsWith("# ")) {
            throw new IOException("unexpected answer to show stat: " + String.join("\n", lines));
        }
        List<String> header = Arrays.asList(lines[0].substring(2).split(","));
        int px = header.indexOf("pxname");
        int sv = header.indexOf("svname");
        int status = header.indexOf("status");
        Map<String, String> out = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            String[] f = lines[i].split(",", -1);
            if (f.length > status && f[px].equals(BACKEND) && !f[sv].equals("BACKEND")) {
                out.put(f[sv], f[status]);
            }
        }
        return out;
    }

    /** Whether HAProxy sends new requests to a server in this status ("UP", "UP 1/3" going down). */
    static boolean inService(String status) {
        return status != null && status.startsWith("UP");
    }

    void awaitAllUp(int servers, Duration limit) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        Map<String, String> last = Map.of();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError("haproxy exited with " + process.exitValue() + ":\n" + Files.readString(log));
            }
            if (Files.exists(socket)) {
                last = servers();
                if (last.size() == servers && last.values().stream().allMatch("UP"::equals)) {
                    return;
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("HAProxy did not see every host UP within " + limit + ": " + last);
    }

    private String command(String line) throws IOException {
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            channel.connect(UnixDomainSocketAddress.of(socket));
            channel.write(ByteBuffer.wrap((line + "\n").getBytes(StandardCharsets.US_ASCII)));
            ByteArrayOutputStream answer = new ByteArrayOutputStream();
            ByteBuffer buffer = ByteBuffer.allocate(8192);
            while (channel.read(buffer) >= 0) {
                answer.write(buffer.array(), 0, buffer.position());
                buffer.clear();
            }
            return answer.toString(StandardCharsets.US_ASCII);
        }
    }

    /** Ends HAProxy by its pid (SIGTERM, then SIGKILL of its tree if it lingers). */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
            ProcessLeaks.killTree(process.pid());
        }
    }
}
