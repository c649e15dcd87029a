package corral.proxy.rules;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import corral.fixtures.FreePorts;
import corral.fixtures.RawHttp;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * proxy_redirect, add_header and expires against real nginx 1.22, on the corpus file
 * {@code rules/response/response.conf}: the same upstream answers (Location, Refresh, status,
 * Last-Modified, ETag, Cache-Control) and the same returns through nginx and through Corral
 * give the same status, the same edited headers and the same request at the instance (X-Seen).
 * Expires that depend on the clock are compared as their distance from the answer's Date.
 */
class ResponseDifferentialTest {

    /** The headers these directives touch, and the target the instance saw. */
    private static final Set<String> COMPARED = Set.of("location", "refresh", "expires",
            "cache-control", "etag", "last-modified", "x-top", "x-server", "x-uri", "x-loc",
            "x-empty", "x-gone", "x-other", "x-seen", "x-dead", "x-not", "content-encoding", "vary");

    @RegisterExtension
    static final NginxBeside started = new NginxBeside();

    @TempDir
    static Path dir;

    private static ShapedUpstream upstream;
    private static SideBySide both;

    @BeforeAll
    static void start() throws Exception {
        upstream = started.add(new ShapedUpstream());
        String text = SideBySide.resource("/rules/response/response.conf");
        // "dead": a port nobody listens on, for the proxy's own 502
        Map<String, Integer> apps = Map.of("up", upstream.port(), "dead", FreePorts.pick());
        both = started.add(SideBySide.start(dir, "response.conf", apps, port -> text
                .replace("@PORT@", Integer.toString(port)).replace("@UP@", Integer.toString(upstream.port()))));
    }

    private static List<String> locations() {
        String up = "127.0.0.1:" + upstream.port();
        return List.of("http://up/a/b?c=1", "http://up", "http://up/", "/rel/path", "/other",
                "http://" + up + "/v1/z", "http://" + up + "/x", "http://www.example/p?q=1",
                "https://UP/ci", "https://up/ci", "http://UP/a", "http://other/q", "",
                "http://up/app/", "http://resp.test/");
    }

    private static List<String> cases() {
        List<String> cases = new ArrayList<>();
        List<String> prefixes = List.of("/", "/app/", "/api/", "/off/", "/rules/", "/dflt/", "/max/",
                "/neg/", "/zero/", "/mod/", "/daily/");
        for (String prefix : prefixes) {
            for (String loc : locations()) {
                cases.add("resp.test " + prefix + "r?status=302&loc=" + enc(loc));
            }
            for (String shape : List.of("status=200", "status=201&lm=1", "status=204", "status=206",
                    "status=301&loc=/m", "status=303&loc=http://up/s", "status=304&lm=1",
                    "status=307", "status=308", "status=404", "status=500", "status=503&loc=http://up/e",
                    "lm=1&cc=public&etag=%22u%22", "cc=no-store&expires=1", "refresh="
                    + enc("5; url=http://up/r"), "refresh=" + enc("0;URL=http://up/x/y"),
                    "refresh=3", "refresh=" + enc("1;url=/rel/q"))) {
                cases.add("resp.test " + prefix + "r?" + shape);
            }
        }
        for (String loc : locations()) {
            cases.add("off.test /r?status=301&loc=" + enc(loc));
            cases.add("off.test /again/r?status=301&loc=" + enc(loc));
        }
        for (String shape : List.of("type=text/html", "type=text/html&status=404", "type=text/html&expires=1")) {
            cases.add("resp.test /gz/r?" + shape + " gzip");
            cases.add("resp.test /gzpast/r?" + shape + " gzip");
        }
        for (String path : List.of("/ret/", "/ret404/", "/redir/", "/gone", "/ret/x?a=1", "/dead/x")) {
            cases.add("resp.test " + path);
        }
        return cases;
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    @Test
    void corralEditsTheAnswerAsNginxDoes() throws Exception {
        List<String> cases = cases();
        List<String> mismatches = new ArrayList<>();
        for (String c : cases) {
            String[] parts = c.split(" ");
            String head = "GET " + parts[1] + " HTTP/1.1\r\nHost: " + parts[0] + "\r\nConnection: close\r\n"
                    + (parts.length > 2 ? "Accept-Encoding: " + parts[2] + "\r\nVia: 1.1 cdn\r\n" : "") + "\r\n";
            Map<String, String> n = seen(RawHttp.send(both.nginxPort, head), both.nginxPort, nowSeconds());
            Map<String, String> k = seen(RawHttp.send(both.corralPort, head), both.corralPort, nowSeconds());
            if (!same(n, k)) {
                mismatches.add(c + "\n    nginx:  " + n + "\n    corral: " + k);
            }
        }
        if (!mismatches.isEmpty()) {
            fail(mismatches.size() + " of " + cases.size() + " differ:\n" + String.join("\n", mismatches));
        }
        assertTrue(cases.size() > 300);
    }

    private static long nowSeconds() {
        return System.currentTimeMillis() / 1000;
    }

    /**
     * Status and the compared headers (each name's lines joined), the listener's port made "PORT",
     * an Expires within 400 days made relative to when the answer arrived. Not to the answer's
     * Date: Undertow caches its Date string in a static field that only an IO thread's timer
     * clears, so in a JVM whose earlier XNIO workers were shut down (other tests) it can lag.
     */
    private static Map<String, String> seen(RawHttp.Response r, int port, long receivedAt) {
        Map<String, String> seen = SideBySide.seen(r, port, COMPARED);
        String expires = seen.get("expires");
        if (expires != null && !expires.contains("|")) {
            long delta = epoch(expires) - receivedAt;
            if (Math.abs(delta) < 400L * 24 * 3600) {
                seen.put("expires", "date+" + delta);
            }
        }
        return seen;
    }

    private static long epoch(String httpDate) {
        return ZonedDateTime.parse(httpDate, DateTimeFormatter.RFC_1123_DATE_TIME).toEpochSecond();
    }

    /**
     * Equal, but for an Expires relative to the Date and a max-age a second apart: the two
     * servers' clocks tick apart, and with {@code expires @time} both count down to one instant.
     */
    private static boolean same(Map<String, String> n, Map<String, String> k) {
        if (n.equals(k)) {
            return true;
        }
        Map<String, String> a = new TreeMap<>(n);
        Map<String, String> b = new TreeMap<>(k);
        for (String clocked : List.of("expires", "cache-control")) {
            if (!secondApart(a.remove(clocked), b.remove(clocked))) {
                return false;
            }
        }
        return a.equals(b);
    }

    private static boolean secondApart(String a, String b) {
        if (a == null || b == null) {
            return a == b;
        }
        String digitsA = a.replaceAll("[^0-9-]", "");
        String digitsB = b.replaceAll("[^0-9-]", "");
        return a.replaceAll("[0-9-]", "").equals(b.replaceAll("[0-9-]", ""))
                && (a.equals(b) || (!digitsA.isEmpty() && !digitsB.isEmpty()
                && Math.abs(Long.parseLong(digitsA) - Long.parseLong(digitsB)) <= 1));
    }
}
