package corral.proxy.daemon;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import corral.fixtures.CorralHome;
import corral.fixtures.LoadGenerator;
import corral.fixtures.LoadResult;
import corral.proxy.install.CorralInstall;
import corral.workers.proc.ProcFs;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Clients that pipeline many requests for a large page and never read an answer: the daemon's
 * memory does not grow with what they asked for (responses wait in the kernel's socket buffers,
 * Undertow reads no further request meanwhile), other traffic is served without a failure, and
 * every file descriptor comes back once they leave.
 */
class SlowReadersIT {

    @RegisterExtension
    static final CorralHome HOME = new CorralHome();

    private static final int CLIENTS = 300;
    private static final int PIPELINED = 50;
    /** What the slow readers asked for is about 300 × 50 × 20 KB = 300 MB; the daemon may hold a small part of it. */
    private static final long MAX_RSS_GROWTH = 96L * 1024 * 1024;

    static CorralInstall corral;

    @BeforeAll
    static void start() throws Exception {
        corral = new CorralInstall(HOME, 1, 2);
        corral.ok("start");
    }

    @AfterAll
    static void kill() throws Exception {
        if (corral != null) {
            corral.control("kill");
        }
    }

    @Test
    void slowReadersCostNoMemoryNorFailuresAndGiveTheirDescriptorsBack() throws Exception {
        long daemon = Long.parseLong(Files.readString(corral.runDir().resolve("daemon.pid")).trim());
        LoadResult warm = load(Duration.ofSeconds(3));
        assertEquals(0, warm.failed(), warm.summary());
        long rssBefore = ProcFs.rssBytes(daemon);
        long fdsBefore = openFiles(daemon);

        List<Socket> slow = new ArrayList<>();
        try {
            byte[] requests = pipelined();
            for (int i = 0; i < CLIENTS; i++) {
                Socket s = new Socket();
                s.setReceiveBufferSize(4096);
                s.connect(new InetSocketAddress("127.0.0.1", corral.h5Port), 5_000);
                OutputStream out = s.getOutputStream();
                out.write(requests);
                out.flush();
                slow.add(s);
            }
            CompletableFuture<LoadResult> others = CompletableFuture.supplyAsync(() -> load(Duration.ofSeconds(8)));
            long rssMax = rssBefore;
            while (!others.isDone()) {
                rssMax = Math.max(rssMax, ProcFs.rssBytes(daemon));
                Thread.sleep(200);
            }
            LoadResult during = others.get();
            assertEquals(0, during.failed(), "other traffic while slow readers hold " + CLIENTS + " connections: "
                    + during.summary());
            assertTrue(rssMax - rssBefore < MAX_RSS_GROWTH, "the daemon's RSS grew from " + rssBefore / 1024 / 1024
                    + " MB to " + rssMax / 1024 / 1024 + " MB");
        } finally {
            for (Socket s : slow) {
                s.close();
            }
        }
        await("descriptors come back").atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
                .until(() -> openFiles(daemon) <= fdsBefore + 8);
        long fds = openFiles(daemon);
        assertTrue(fds <= fdsBefore + 8, "descriptors came back: " + fdsBefore + " before, " + fds + " after");
    }

    private static byte[] pipelined() {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < PIPELINED; i++) {
            b.append("GET /h5/page/slow-").append(i).append(" HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
        }
        return b.toString().getBytes(StandardCharsets.US_ASCII);
    }

    private static LoadResult load(Duration duration) {
        try {
            return LoadGenerator.builder()
                    .get("http://127.0.0.1:" + corral.nuomiPort + "/nuomi/component/other")
                    .concurrency(4)
                    .duration(duration)
                    .timeout(Duration.ofSeconds(5))
                    .build()
                    .run();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static long openFiles(long pid) throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/" + pid + "/fd"))) {
            return fds.count();
        }
    }
}
