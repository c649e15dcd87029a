package corral.proxy.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import corral.fixtures.RawHttp;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * limit_req zones across a reload, against real nginx 1.22 reloaded by SIGHUP while Corral's
 * rules are reloaded as {@code reload-conf} loads them: a zone whose name and size stay keeps
 * its keys' state, even under a new rate ({@code 1m} and {@code 1024k} are one size); a new size
 * or a new name starts afresh; a new key under the same name and size is refused (nginx keeps
 * its old configuration, and so does Corral, with nginx's words). At 1r/m with no burst a key's
 * second request is refused, so each step reads the zone's state from one request.
 */
class LimitReloadDifferentialTest {

    @TempDir
    Path dir;

    private static IntFunction<String> vhost(String version, String key, String zone) {
        return port -> """
                limit_req_zone KEY zone=ZONE rate=1r/m;
                server {
                    listen PORT;
                    location / { limit_req zone=NAME; proxy_pass http://app; }
                    location = /v { return 200 "VERSION"; }
                }
                """.replace("KEY", key).replace("ZONE", zone).replace("NAME", zone.substring(0, zone.indexOf(':')))
                .replace("VERSION", version).replace("PORT", Integer.toString(port));
    }

    @Test
    void aZoneKeepsItsStateAcrossAReloadWhileItsNameSizeAndKeyStay() throws Exception {
        assumeTrue(NginxOracle.available(), "nginx is not installed");
        try (EchoUpstream upstream = new EchoUpstream("app");
             SideBySide both = SideBySide.start(dir, "lim.conf", "app", upstream.port(),
                     vhost("v1", "$remote_addr", "one:1m"))) {
            List<String> nginx = new ArrayList<>();
            List<String> corral = new ArrayList<>();
            step(both, nginx, corral, 2);

            // same name and size (1024k is 1m), another rate: the key is still over its limit
            assertNull(both.reload("lim.conf", vhost("v2", "$remote_addr", "one:1024k")));
            awaitVersion(both, "v2");
            step(both, nginx, corral, 1);

            // another size: a new zone
            assertNull(both.reload("lim.conf", vhost("v3", "$remote_addr", "one:2m")));
            awaitVersion(both, "v3");
            step(both, nginx, corral, 2);

            // another key under the same name and size: refused, the old rules stay
            String refused = both.reload("lim.conf", vhost("v4", "$binary_remote_addr", "one:2m"));
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> both.nginxLog().contains("uses the"));
            assertNotNull(refused);
            String nginxWords = "limit_req \"one\" uses the \"$binary_remote_addr\" key while previously it used the"
                    + " \"$remote_addr\" key";
            assertTrue(both.nginxLog().contains(nginxWords), both.nginxLog());
            assertTrue(refused.contains(nginxWords), refused);
            assertEquals("v3", RawHttp.send(both.nginxPort, get("/v")).body());
            assertEquals("v3", RawHttp.send(both.corralPort, get("/v")).body());
            step(both, nginx, corral, 1);

            // another name: a new zone, whatever the key
            assertNull(both.reload("lim.conf", vhost("v5", "$binary_remote_addr", "two:2m")));
            awaitVersion(both, "v5");
            step(both, nginx, corral, 2);

            assertEquals(List.of("200", "503", "503", "200", "503", "503", "200", "503"), nginx);
            assertEquals(nginx, corral);
        }
    }

    /** {@code count} requests to the limited location, on both. */
    private static void step(SideBySide both, List<String> nginx, List<String> corral, int count) throws IOException {
        for (int i = 0; i < count; i++) {
            nginx.add(Integer.toString(RawHttp.send(both.nginxPort, get("/x")).status()));
            corral.add(Integer.toString(RawHttp.send(both.corralPort, get("/x")).status()));
        }
    }

    /**
     * nginx answers with its new files once its new worker runs, and only with them once the old
     * worker is gone (till then it may still accept a connection: a 503 of the old zone's state).
     */
    private static void awaitVersion(SideBySide both, String version) {
        Awaitility.await().atMost(Duration.ofSeconds(30))
                .until(() -> RawHttp.send(both.nginxPort, get("/v")).body().equals(version));
        both.awaitNginxReloaded();
    }

    private static String get(String path) {
        return "GET " + path + " HTTP/1.1\r\nHost: lim.test\r\nConnection: close\r\n\r\n";
    }
}
