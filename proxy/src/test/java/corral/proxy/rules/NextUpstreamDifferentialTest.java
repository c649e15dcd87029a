package corral.proxy.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;

import corral.fixtures.RawHttp;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code proxy_next_upstream} against real nginx 1.22: two upstreams behind nginx's
 * {@code upstream} block and the same two as a pool of two instances behind Corral, the same
 * conditions per location. For each request: the status and body the client gets, and how many
 * requests the two upstreams saw together (1: answered by the first; 2: dropped and asked again).
 * Requests are chosen so that the answer does not depend on which instance is asked first (both
 * answer alike, or {@code only=} makes one fail and retries make the other's answer the one
 * that counts), since nginx's round robin and Corral's balancer need not pick the same first.
 */
class NextUpstreamDifferentialTest {

    @RegisterExtension
    static final NginxBeside started = new NginxBeside();

    @TempDir
    static Path dir;

    private static ShapedUpstream a;
    private static ShapedUpstream b;
    private static SideBySide both;

    @BeforeAll
    static void start() throws Exception {
        a = started.add(new ShapedUpstream());
        b = started.add(new ShapedUpstream());
        both = started.add(SideBySide.startPools(dir, "next.conf", Map.of("pair", List.of(a.port(), b.port())),
                NextUpstreamDifferentialTest::vhost));
    }

    /** max_fails=0: nginx would otherwise take a server out for 10 s after one retried 5xx; Corral does not. */
    private static String vhost(int port) {
        return """
                upstream pair {
                    server 127.0.0.1:A max_fails=0;
                    server 127.0.0.1:B max_fails=0;
                }
                server {
                    listen PORT;
                    location /default/ { proxy_pass http://pair/; }
                    location /http5xx/ {
                        proxy_next_upstream error timeout invalid_header http_500 http_502 http_503 http_504;
                        proxy_pass http://pair/;
                    }
                    location /nonidem/ { proxy_next_upstream error http_502 non_idempotent; proxy_pass http://pair/; }
                    location /notfound/ { proxy_next_upstream http_404 http_403 http_429; proxy_pass http://pair/; }
                    location /off/ { proxy_next_upstream off; proxy_pass http://pair/; }
                    location /tries1/ { proxy_next_upstream http_502; proxy_next_upstream_tries 1; proxy_pass http://pair/; }
                    location /tries2/ { proxy_next_upstream http_502; proxy_next_upstream_tries 2; proxy_pass http://pair/; }
                    location /slow/ {
                        proxy_next_upstream http_502;
                        proxy_next_upstream_timeout 100ms;
                        proxy_pass http://pair/;
                    }
                }
                server {
                    listen PORT;
                    server_name limits.test;
                    proxy_next_upstream_tries 1;
                    location /own/ { proxy_next_upstream error http_502; proxy_pass http://pair/; }
                    location /unlimited/ { proxy_next_upstream http_502; proxy_next_upstream_tries 0; proxy_pass http://pair/; }
                }
                server {
                    listen PORT;
                    server_name inherit.test;
                    proxy_next_upstream http_503;
                    location / { proxy_pass http://pair; }
                    location /own/ { proxy_next_upstream error; proxy_pass http://pair/; }
                }
                """.replace("PORT", Integer.toString(port)).replace("A", Integer.toString(a.port()))
                .replace("B", Integer.toString(b.port()));
    }

    @Test
    void corralTriesAnotherInstanceWhenNginxTriesAnotherServer() throws Exception {
        List<String[]> cases = new ArrayList<>();
        for (String status : List.of("500", "502", "503", "504", "404", "403", "429", "200")) {
            for (String location : List.of("/default/", "/http5xx/", "/notfound/", "/off/")) {
                cases.add(new String[] {"GET", location + "r?len=40&status=" + status, "x.test"});
            }
            cases.add(new String[] {"GET", "/r?len=40&status=" + status, "inherit.test"});
            cases.add(new String[] {"GET", "/own/r?len=40&status=" + status, "inherit.test"});
        }
        // proxy_next_upstream_tries and _timeout: at most N attempts; none after the time limit
        for (String status : List.of("502", "200")) {
            for (String location : List.of("/tries1/", "/tries2/")) {
                cases.add(new String[] {"GET", location + "r?len=40&status=" + status, "x.test"});
            }
            cases.add(new String[] {"GET", "/own/r?len=40&status=" + status, "limits.test"});
            cases.add(new String[] {"GET", "/unlimited/r?len=40&status=" + status, "limits.test"});
            cases.add(new String[] {"GET", "/slow/r?len=40&delay=300&status=" + status, "x.test"});
            cases.add(new String[] {"GET", "/slow/r?len=40&status=" + status, "x.test"});
        }
        for (String method : List.of("POST", "PATCH", "PUT", "DELETE", "HEAD", "OPTIONS")) {
            cases.add(new String[] {method, "/http5xx/r?len=40&status=502", "x.test"});
            cases.add(new String[] {method, "/nonidem/r?len=40&status=502", "x.test"});
        }
        List<String> differences = new ArrayList<>();
        for (String[] c : cases) {
            String viaNginx = ask(both.nginxPort, c);
            String viaCorral = ask(both.corralPort, c);
            if (!viaNginx.equals(viaCorral)) {
                differences.add(String.join(" ", c) + "\n  nginx:  " + viaNginx + "\n  corral: " + viaCorral);
            }
        }
        assertEquals(List.of(), differences, differences.size() + " of " + cases.size() + " differ");
    }

    @Test
    void aFailingInstanceIsPassedOverWhenItsStatusIsListed() throws Exception {
        List<String> differences = new ArrayList<>();
        for (ShapedUpstream failing : new ShapedUpstream[] {a, b}) {
            for (int round = 0; round < 3; round++) {
                String[] c = {"GET", "/http5xx/r?len=40&status=502&only=" + failing.port(), "x.test"};
                String viaNginx = answer(both.nginxPort, c);
                String viaCorral = answer(both.corralPort, c);
                // Whichever is asked first, the one that does not fail answers.
                if (!viaNginx.startsWith("200 ") || !viaNginx.equals(viaCorral)) {
                    differences.add(String.join(" ", c) + "\n  nginx:  " + viaNginx + "\n  corral: " + viaCorral);
                }
            }
        }
        assertEquals(List.of(), differences);
    }

    /** The answer and how many requests the upstreams saw for it. */
    private static String ask(int port, String[] c) throws IOException {
        int before = a.hits() + b.hits();
        String answer = answer(port, c);
        return answer + " upstream requests=" + (a.hits() + b.hits() - before);
    }

    private static String answer(int port, String[] c) throws IOException {
        String body = c[0].equals("GET") || c[0].equals("HEAD") || c[0].equals("OPTIONS") ? "" : "Content-Length: 0\r\n";
        RawHttp.Response r = RawHttp.send(port, c[0] + " " + c[1] + " HTTP/1.1\r\nHost: " + c[2] + "\r\n" + body
                + "Connection: close\r\n\r\n");
        return r.status() + " " + r.body();
    }
}
