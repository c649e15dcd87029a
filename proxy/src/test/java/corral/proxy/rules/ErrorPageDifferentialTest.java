package corral.proxy.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import corral.fixtures.FreePorts;
import corral.fixtures.RawHttp;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * error_page, named locations, internal redirects, recursive_error_pages, internal and
 * proxy_intercept_errors (and error pages for the proxy's 502 and limit_req's 429) against real
 * nginx 1.22, on {@code rules/error-pages/error-pages.conf}: each request gets the same
 * status, Location, Content-Type and body (nginx's version line left out) from both, the instance
 * sees the same request (target, method, Content-Length), and both write the same access-log line.
 */
class ErrorPageDifferentialTest {

    private static final Set<String> COMPARED = Set.of("location", "content-type", "x-seen", "www-authenticate",
            "x-seen-method", "x-seen-length", "x-added", "x-page");

    @RegisterExtension
    static final NginxBeside started = new NginxBeside();

    @TempDir
    static Path dir;

    private static ShapedUpstream upstream;
    private static SideBySide both;

    @BeforeAll
    static void start() throws Exception {
        upstream = started.add(new ShapedUpstream());
        String text = SideBySide.resource("/rules/error-pages/error-pages.conf");
        // "dead": a port nobody listens on, for the proxy's own 502
        Map<String, Integer> apps = Map.of("up", upstream.port(), "dead", FreePorts.pick());
        both = started.add(SideBySide.start(dir, "error-pages.conf", apps,
                port -> text.replace("@PORT@", Integer.toString(port))));
    }

    /** "host method target [body]". */
    private static List<String> cases() {
        List<String> cases = new ArrayList<>();
        for (String path : List.of("/", "/x?a=1", "/nofile/f", "/proxied/p?q=1", "/proxied-status/s",
                "/eq/e", "/code/c", "/code-text/t?z=9", "/api-page/a", "/named/n/m?x=1", "/named-text/t?k=v",
                "/named-rw/q?r=1", "/missing-name/m", "/ext/e?q=1", "/ext301/e", "/ext200/e", "/ext-var/v",
                "/redirect/r", "/rw-redirect/w", "/auto", "/own/o", "/chain/c", "/chain-named/c", "/rec/r",
                "/loop/l", "/put/p", "/int/x", "/to-int/t", "/srv-rw/s", "/var/v?a=A%20B", "/args/a?q=1",
                "/encoded/e", "/gone/g", "/has-body/h", "/added/a", "/e404", "/page/direct", "/cap/c")) {
            cases.add("err.test GET " + path);
        }
        for (String method : List.of("HEAD", "POST", "PUT", "DELETE")) {
            for (String path : List.of("/proxied/m", "/named/m", "/", "/put/p", "/nofile/n")) {
                cases.add("err.test " + method + " " + path + (method.equals("POST") || method.equals("PUT")
                        ? " hello" : ""));
            }
        }
        cases.add("err.test POST /max/m 0123456789abcdef");
        cases.add("err.test POST /max/small 0123");
        for (String path : List.of("/icpt/a?status=404", "/icpt/a?status=500&x=1", "/icpt/a?status=503",
                "/icpt/a?status=302&loc=/else", "/icpt/a?status=200", "/icpt/a?status=401",
                "/no-icpt/a?status=404", "/icpt-proxy/a?status=404", "/icpt-chain/c?status=404",
                "/icpt-added/a?status=404", "/icpt-added/a?status=200", "/dead/d", "/dead-named/n?q=1",
                "/dead-code/c", "/limited/1", "/limited/2", "/icpt/a?status=401&auth=Basic%20realm%3D%22r%22",
                "/icpt/a?status=404&auth=Basic", "/no-icpt/a?status=401&auth=Basic")) {
            cases.add("err.test GET " + path);
        }
        cases.add("err.test POST /icpt/p?status=404 hello");
        cases.add("err.test POST /dead/p hello");
        cases.add("err.test HEAD /icpt/h?status=404");
        // refused before a location: an invalid Host (the port's default server), TRACE, a bad method
        cases.add("a..b GET /x");
        cases.add("err.test TRACE /x");
        cases.add("err.test get /x");
        for (String path : List.of("/", "/e", "/x?y=1")) {
            cases.add("srv.test GET " + path);
        }
        for (String path : List.of("/zzz?a=1", "/only/o", "/x")) {
            cases.add("nomatch.test GET " + path);
        }
        for (String path : List.of("/t", "/mine/m")) {
            cases.add("top.test GET " + path);
        }
        return cases;
    }

    @Test
    void corralAnswersErrorPagesAsNginxDoes() throws Exception {
        List<String> cases = cases();
        List<String> mismatches = new ArrayList<>();
        for (String c : cases) {
            String[] parts = c.split(" ", 4);
            String body = parts.length > 3 ? parts[3] : null;
            String head = parts[1] + " " + parts[2] + " HTTP/1.1\r\nHost: " + parts[0] + "\r\nConnection: close\r\n"
                    + (body == null ? "\r\n" : "Content-Length: " + body.length() + "\r\n\r\n" + body);
            Map<String, String> n = seen(RawHttp.send(both.nginxPort, head), both.nginxPort);
            Map<String, String> k = seen(RawHttp.send(both.corralPort, head), both.corralPort);
            if (!n.equals(k)) {
                mismatches.add(c + "\n    nginx:  " + n + "\n    corral: " + k);
            }
        }
        // sorted: a proxied request's line may come after the next request's (written when it ends)
        List<String> nginxLog = awaitLines(dir.resolve("nginx/ep.log"), cases.size()).stream().sorted().toList();
        List<String> corralLog = awaitLines(dir.resolve("corral/ep.log"), cases.size()).stream().sorted().toList();
        for (int i = 0; i < Math.min(nginxLog.size(), corralLog.size()); i++) {
            if (!nginxLog.get(i).equals(corralLog.get(i))) {
                mismatches.add("log line (sorted) " + (i + 1) + "\n    nginx:  " + nginxLog.get(i) + "\n    corral: "
                        + corralLog.get(i));
            }
        }
        if (!mismatches.isEmpty()) {
            fail(mismatches.size() + " of " + cases.size() + " differ:\n" + String.join("\n", mismatches));
        }
        assertEquals(nginxLog.size(), corralLog.size());
        assertTrue(cases.size() > 80, cases.size() + " requests");
    }

    private static Map<String, String> seen(RawHttp.Response r, int port) {
        Map<String, String> seen = SideBySide.seen(r, port, COMPARED);
        // nginx's pages end with its name and version, Corral's without
        seen.put("body", r.body().replaceAll("<hr><center>[^<]*</center>\r\n", ""));
        return seen;
    }

    private static List<String> awaitLines(Path file, int count) {
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> lines(file).size() >= count);
        return lines(file);
    }

    private static List<String> lines(Path file) {
        try {
            return Files.exists(file) ? Files.readAllLines(file, StandardCharsets.ISO_8859_1) : List.of();
        } catch (IOException e) {
            return List.of();
        }
    }
}
