package corral.proxy.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import corral.fixtures.CorralHome;
import corral.proxy.install.CorralInstall;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The VIP probe per app, with real node pools: each app's port answers for its app alone, a vhost
 * port for the apps the server picked by the Host proxies to, {@code /health/<app>} for one app
 * anywhere; {@code offline <app>} takes one app out, {@code offline} the machine.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HealthPerAppIT {

    @RegisterExtension
    static final CorralHome HOME = new CorralHome();

    static CorralInstall corral;

    @BeforeAll
    static void start() throws Exception {
        corral = new CorralInstall(HOME, 1, 1);
        Files.writeString(corral.vhost.resolve("default.conf"), String.join("\n",
                "server {",
                "    listen " + corral.vhostPort + " default_server;",
                "    server_name _;",
                "    location /nuomi/ { proxy_pass http://nuomi; }",
                "    location /h5/ { proxy_pass http://h5; }",
                "}",
                "server {",
                "    listen " + corral.vhostPort + ";",
                "    server_name h5.example;",
                "    rewrite ^/m/(.*)$ /h5/page/$1 last;",
                "    location /h5/ { proxy_pass http://h5; }",
                "}",
                "server {",
                "    listen " + corral.vhostPort + ";",
                "    server_name static.example;",
                "    location / { return 200 \"static\"; }",
                "}", ""));
        corral.ok("start");
    }

    @AfterAll
    static void kill() throws Exception {
        if (corral != null) {
            corral.control("kill");
        }
    }

    static HttpResponse<String> probe(int port, String path, String host) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10));
        if (host != null) {
            b.header("Host", host);
        }
        return CorralInstall.HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static void assertProbe(int status, int port, String path, String host) throws Exception {
        HttpResponse<String> r = probe(port, path, host);
        assertEquals(status, r.statusCode(), "port " + port + " " + path + " Host " + host + ": " + r.body());
    }

    @Test
    @Order(1)
    void eachListenerAnswersForTheAppsItServes() throws Exception {
        HttpResponse<String> nuomi = probe(corral.nuomiPort, "/health", null);
        assertEquals(200, nuomi.statusCode(), nuomi.body());
        assertEquals("ok\nnuomi 1/1 ready\n", nuomi.body());
        assertEquals("ok\nh5 1/1 ready\n", probe(corral.h5Port, "/health", null).body());
        assertEquals("ok\nh5 1/1 ready\nnuomi 1/1 ready\n", probe(corral.vhostPort, "/health", "any.example").body());
        assertEquals("ok\nh5 1/1 ready\n", probe(corral.vhostPort, "/health", "h5.example").body());
        assertEquals("ok\nno app behind this listener\n", probe(corral.vhostPort, "/health", "static.example").body());
        assertEquals("ok\nnuomi 1/1 ready\n", probe(corral.h5Port, "/health/nuomi", null).body());
    }

    @Test
    @Order(2)
    void anAppTheConfigurationDoesNotKnowIsA404NamingTheApps() throws Exception {
        for (int port : new int[] {corral.nuomiPort, corral.h5Port, corral.vhostPort}) {
            HttpResponse<String> r = probe(port, "/health/h6", null);
            assertEquals(404, r.statusCode(), r.body());
            assertEquals("no app named 'h6' (apps: h5, nuomi)\n", r.body());
        }
    }

    @Test
    @Order(3)
    void aStoppedPoolFailsOnlyTheProbesThatAnswerForIt() throws Exception {
        corral.ok("stop", "nuomi");
        try {
            assertProbe(503, corral.nuomiPort, "/health", null);
            assertProbe(200, corral.h5Port, "/health", null);
            HttpResponse<String> vhost = probe(corral.vhostPort, "/health", "any.example");
            assertEquals(503, vhost.statusCode(), vhost.body());
            assertEquals("unavailable\nh5 1/1 ready\nnuomi 0/1 ready\n", vhost.body());
            assertProbe(200, corral.vhostPort, "/health", "h5.example");
            assertProbe(200, corral.vhostPort, "/health", "static.example");
            for (int port : new int[] {corral.nuomiPort, corral.h5Port, corral.vhostPort}) {
                assertProbe(503, port, "/health/nuomi", null);
                assertProbe(200, port, "/health/h5", null);
            }
            assertEquals(200, CorralInstall.get(corral.h5Port, "/h5/page/x").statusCode(), "h5 still serves");
        } finally {
            corral.ok("start", "nuomi");
        }
        assertProbe(200, corral.nuomiPort, "/health", null);
        assertProbe(200, corral.vhostPort, "/health", null);
    }

    @Test
    @Order(4)
    void offlineOfOneAppTakesOutItsProbesAndKeepsServingItsTraffic() throws Exception {
        corral.ok("offline", "nuomi");
        HttpResponse<String> nuomi = probe(corral.nuomiPort, "/health", null);
        assertEquals(503, nuomi.statusCode(), nuomi.body());
        assertEquals("unavailable\nnuomi 1/1 ready (offline)\n", nuomi.body());
        assertProbe(503, corral.h5Port, "/health/nuomi", null);
        assertProbe(503, corral.vhostPort, "/health", null);
        assertProbe(200, corral.vhostPort, "/health", "h5.example");
        assertProbe(200, corral.h5Port, "/health", null);
        assertEquals(200, CorralInstall.get(corral.nuomiPort, "/nuomi/component/x").statusCode(), "traffic still served");
        assertTrue(corral.control("status").out().contains("offline apps: nuomi"));

        corral.ok("online", "nuomi");
        assertProbe(200, corral.nuomiPort, "/health", null);
        assertProbe(200, corral.vhostPort, "/health", null);
    }

    @Test
    @Order(5)
    void offlineOfTheMachineTakesOutEveryProbeAndOnlineAllBringsBackEveryApp() throws Exception {
        assertEquals(0, corral.control("offline", "h5").exit());
        assertEquals(0, corral.control("offline").exit());
        for (int port : new int[] {corral.nuomiPort, corral.h5Port}) {
            HttpResponse<String> r = probe(port, "/health", null);
            assertEquals(503, r.statusCode(), r.body());
            assertTrue(r.body().startsWith("unavailable (offline)\n"), r.body());
        }
        assertProbe(503, corral.vhostPort, "/health", "static.example");
        assertProbe(503, corral.vhostPort, "/health/nuomi", null);

        assertEquals(0, corral.control("online").exit());
        assertProbe(200, corral.nuomiPort, "/health", null);
        assertProbe(503, corral.h5Port, "/health", null); // the machine is back; h5 was taken out on its own
        corral.ok("online", "all");
        assertProbe(200, corral.h5Port, "/health", null);
        assertFalse(corral.control("status").out().contains("offline apps"));
    }
}
