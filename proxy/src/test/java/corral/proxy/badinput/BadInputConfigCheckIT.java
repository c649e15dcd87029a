package corral.proxy.badinput;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import corral.fixtures.CorralHome;
import corral.fixtures.ProcessLeaks;
import corral.proxy.install.CorralInstall;
import corral.proxy.install.PackagedDaemon;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The corpus of broken configurations through {@code bin/control} with no daemon running:
 * {@code check} refuses every case (exit 1, the place and the reason on stderr, no {@code OK}),
 * and {@code start} refuses a sample of them and starts nothing: no daemon, no worker (the
 * {@link CorralHome} leak check finds no process with this home), no port open.
 */
@ExtendWith(PackagedDaemon.class)
class BadInputConfigCheckIT {

    @RegisterExtension
    static final CorralHome HOME = new CorralHome();

    /** One case of each family: JSON syntax, units, duplicates, a regex, a pool, includes. */
    static final String[] START_SAMPLE = {"p01-missing-comma", "p21-memory-lower-case-unit", "p28-duplicate-port",
        "v08-bad-regex-in-rewrite", "v11-unknown-pool", "v26-include-loop"};

    static CorralInstall corral;

    @BeforeAll
    static void install() throws Exception {
        corral = new CorralInstall(HOME);
    }

    @Test
    void checkAcceptsTheGoodConfiguration() throws Exception {
        corral.writeGoodConfig(2, 2, "");
        CorralInstall.Result r = corral.control("check");
        assertEquals(0, r.exit(), r.toString());
        assertTrue(r.out().endsWith("OK\n"), r.toString());
    }

    @TestFactory
    Stream<DynamicTest> checkRefusesEveryCaseNamingItsPlaceAndWhy() {
        return ConfigCorpus.all().stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> {
            corral.writeGoodConfig(2, 2, "");
            c.install(corral);

            CorralInstall.Result r = corral.control("check");

            assertEquals(1, r.exit(), c + "\n" + r);
            assertEquals(List.of(), c.missingFrom(r.err()), c + "\n" + r);
            assertTrue(r.err().contains("check failed"), c + "\n" + r);
            assertFalse(r.out().contains("OK"), c + "\n" + r);
        }));
    }

    @TestFactory
    Stream<DynamicTest> startRefusesABrokenConfigurationAndStartsNothing() {
        return ConfigCorpus.named(START_SAMPLE).stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> {
            corral.writeGoodConfig(2, 2, "");
            c.install(corral);

            CorralInstall.Result r = corral.control("start");

            assertNotEquals(0, r.exit(), c + "\n" + r);
            assertTrue(r.err().contains("configuration does not load, nothing started"), c + "\n" + r);
            assertEquals(List.of(), c.missingFrom(r.err()), c + "\n" + r);
            assertEquals(List.of(), ProcessLeaks.find(HOME.path().toString()), c + ": processes left running");
            assertFalse(Files.exists(corral.runDir().resolve("admin.json")), c + ": a daemon endpoint was published");
            for (int port : new int[] {corral.nuomiPort, corral.h5Port, corral.vhostPort}) {
                assertThrows(IOException.class, () -> connect(port), c + ": port " + port + " accepts connections");
            }
        }));
    }

    private static void connect(int port) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
        }
    }
}
