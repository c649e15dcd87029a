package corral.proxy.badinput;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import corral.fixtures.CorralHome;
import corral.fixtures.LoadGenerator;
import corral.fixtures.LoadResult;
import corral.fixtures.StatusJson;
import corral.fixtures.TestHttp;
import corral.proxy.install.CorralInstall;
import corral.proxy.install.PackagedDaemon;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The corpus of broken configurations through {@code bin/control reload-conf} on one running
 * daemon, under load: each case is refused (exit 1, the place and the reason, "nothing changed"),
 * no instance is replaced, the rules still route as before, and not one request of the load
 * running all along fails. A valid change afterwards still applies.
 */
@ExtendWith(PackagedDaemon.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BadInputConfigReloadIT {

    @RegisterExtension
    static final CorralHome HOME = new CorralHome();

    static CorralInstall corral;
    static LoadGenerator load;
    static CompletableFuture<LoadResult> running;
    static Set<Long> pidsBefore;

    @BeforeAll
    static void startUnderLoad() throws Exception {
        corral = new CorralInstall(HOME);
        corral.ok("start");
        pidsBefore = StatusJson.allPids(corral.adminStatus());
        String app = "http://127.0.0.1:" + corral.h5Port;
        String nuomi = "http://127.0.0.1:" + corral.nuomiPort;
        String vhost = "http://127.0.0.1:" + corral.vhostPort;
        load = LoadGenerator.builder()
                .get(app + "/h5/page/a", 2)
                .get(nuomi + "/nuomi/component/b", 2)
                .get(vhost + "/m/c", 2)
                .get(vhost + "/nuomi/component/d", 1)
                .post(vhost + "/h5/echo", "x".repeat(1024).getBytes(), 1)
                .post(nuomi + "/nuomi/echo", "y".repeat(256).getBytes(), 1)
                .connectionClose(0.2)
                .concurrency(3)
                .duration(Duration.ofMinutes(8))
                .timeout(Duration.ofSeconds(10))
                .check(LoadGenerator.is2xxFromWorker())
                .build();
        running = load.start();
    }

    @AfterAll
    static void kill() throws Exception {
        if (load != null) {
            load.stop();
            running.get(30, TimeUnit.SECONDS);
        }
        if (corral != null) {
            corral.kill();
        }
    }

    @TestFactory
    @Order(1)
    Stream<DynamicTest> reloadConfRefusesEveryCaseAndChangesNothing() {
        return ConfigCorpus.all().stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> {
            c.install(corral);
            CorralInstall.Result r;
            try {
                r = corral.control("reload-conf");
            } finally {
                corral.writeGoodConfig(2, 2, "");
            }

            assertEquals(1, r.exit(), c + "\n" + r);
            assertTrue(r.err().contains("configuration not applied, nothing changed"), c + "\n" + r);
            assertEquals(List.of(), c.missingFrom(r.err()), c + "\n" + r);
            if (c.kind() == ConfigCorpus.Kind.PM2) {
                assertFalse(r.err().contains("does not define"), c + ": the good vhost rules were blamed\n" + r);
            }
            assertEquals(pidsBefore, StatusJson.allPids(corral.adminStatus()), c + ": instances changed");
            assertRoutesAsBefore(c.name());
        }));
    }

    @Test
    @Order(2)
    void theLoadRanThroughEveryRefusedReloadWithoutAFailure() throws Exception {
        load.stop();
        LoadResult result = running.get(60, TimeUnit.SECONDS);
        assertEquals(0, result.failed(), result.summary());
        assertTrue(result.total() > 200, result.summary());
    }

    @Test
    @Order(3)
    void aValidChangeStillAppliesAfterwards() throws Exception {
        corral.writeGoodConfig(3, 2, "");
        try {
            CorralInstall.Result r = corral.control("reload-conf");
            assertEquals(0, r.exit(), r.toString());
            assertTrue(r.out().contains("nuomi: instances 2 -> 3: scaling"), r.toString());
            JsonNode status = corral.adminStatus();
            assertEquals(3, StatusJson.readyPids(status, "nuomi").size(), status.toString());
        } finally {
            corral.writeGoodConfig(2, 2, "");
        }
    }

    /** The rules and both kinds of listener still answer as the good configuration says. */
    private static void assertRoutesAsBefore(String after) throws Exception {
        HttpResponse<String> rewritten = TestHttp.get(URI.create("http://127.0.0.1:" + corral.vhostPort + "/m/x"));
        assertEquals(200, rewritten.statusCode(), after);
        assertTrue(rewritten.body().contains("h5 page x"), after + ": " + rewritten.body());
        assertEquals("ok", TestHttp.get(URI.create("http://127.0.0.1:" + corral.vhostPort + "/ngx-ok")).body(), after);
        assertEquals(200, TestHttp.get(URI.create("http://127.0.0.1:" + corral.h5Port + "/health")).statusCode(), after);
    }
}
