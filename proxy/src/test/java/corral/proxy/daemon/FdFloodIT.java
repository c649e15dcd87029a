package corral.proxy.daemon;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import corral.fixtures.CorralHome;
import corral.proxy.install.CorralInstall;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A flood of idle connections on one listener of a daemon with a low open-file limit (256, as
 * {@code ulimit -n 256}): the flooded listener stops at its bound, the other ports and their
 * {@code /health} keep answering within a second, the admin API ({@code bin/control status}) too, and the flooded one answers again within a
 * second of the flood's end (no accept back-off). Each way is said once in corral.log.
 */
class FdFloodIT {

    @RegisterExtension
    static final CorralHome HOME = new CorralHome();

    private static final int FLOOD = 400;
    private static final Duration QUICK = Duration.ofSeconds(1);

    static CorralInstall corral;
    static CorralInstall.Result started;

    @BeforeAll
    static void start() throws Exception {
        corral = new CorralInstall(HOME, 1, 1);
        corral.fdLimit = 256;
        started = corral.control("start");
        assertEquals(0, started.exit(), started.toString());
    }

    @Test
    void checkAndStartWarnWhenTheLimitIsBelowWhatTheConfigurationWants() throws Exception {
        String warning = "warning: the daemon's open-file limit is 256; this configuration wants ";
        assertTrue(started.out().contains(warning), started.toString());
        CorralInstall.Result low = corral.control("check");
        assertEquals(0, low.exit(), "a low limit is a warning, not a failed check: " + low);
        assertTrue(low.out().contains(warning) && low.out().contains("LimitNOFILE=65536"), low.toString());

        corral.fdLimit = 8192; // above what 3 listeners want (3 x 512 x 2 + a reserve), below the hard limit here
        try {
            CorralInstall.Result enough = corral.control("check");
            assertEquals(0, enough.exit(), enough.toString());
            assertFalse(enough.out().contains("open-file limit"), enough.toString());
        } finally {
            corral.fdLimit = 256;
        }
    }

    @AfterAll
    static void kill() throws Exception {
        if (corral != null) {
            corral.control("kill");
        }
    }

    @Test
    void oneFloodedListenerLeavesTheOthersAndHealthAnsweringAndRecoversAtOnce() throws Exception {
        Path log = corral.logDir().resolve("corral.log");
        assertTrue(Files.readString(log).contains("open-file limit is 256"), "start says the limit is low");
        assertEquals(200, CorralInstall.get(corral.vhostPort, "/ngx-ok").statusCode()); // warm, without a deadline
        assertEquals(200, CorralInstall.get(corral.h5Port, "/h5/page/warm").statusCode());

        List<Socket> flood = new ArrayList<>();
        try {
            for (int i = 0; i < FLOOD; i++) {
                Socket s = new Socket();
                s.connect(new InetSocketAddress("127.0.0.1", corral.vhostPort), 5_000);
                flood.add(s);
            }
            awaitLog(log, "holds", "its limit");
            for (int port : new int[] {corral.h5Port, corral.nuomiPort}) {
                assertEquals(200, get(port, "/health").statusCode(), "/health on " + port + " during the flood");
            }
            assertEquals(200, get(corral.h5Port, "/h5/page/during-flood").statusCode());
            CorralInstall.Result status = corral.control("status"); // the admin API, from the reserve
            assertEquals(0, status.exit(), "bin/control status during the flood: " + status);
        } finally {
            for (Socket s : flood) {
                s.close();
            }
        }
        long closed = System.nanoTime();
        HttpResponse<String> after = get(corral.vhostPort, "/ngx-ok");
        long took = System.nanoTime() - closed;
        assertEquals(200, after.statusCode());
        assertTrue(took < QUICK.toNanos(), "the flooded listener answered " + took / 1_000_000 + " ms after the flood");
        awaitLog(log, "accepts again");
    }

    /** A GET that must be answered within a second. */
    private static HttpResponse<String> get(int port, String path) throws Exception {
        return CorralInstall.HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(QUICK).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void awaitLog(Path log, String... words) {
        await("corral.log says " + List.of(words)).atMost(Duration.ofSeconds(10))
                .until(() -> Files.readString(log), text -> List.of(words).stream().allMatch(text::contains));
    }
}
