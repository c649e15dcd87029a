package corral.proxy.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;

import corral.fixtures.FreePorts;
import corral.fixtures.RawHttp;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * An {@code upstream} whose servers are several apps (docker-three-nodes' {@code upstream hello}),
 * against real nginx 1.22 with one worker process, whose round robin is deterministic: the same
 * requests reach the same servers in the same order (smooth weighted round robin with
 * {@code weight=}, a {@code down} server never asked), and a server that refuses connections is
 * passed over for the next one, then left out, the {@code backup} answering once every other
 * server has failed. Each app is a pool of one echo instance, so the server that answered is the
 * echo's app name.
 */
class UpstreamGroupDifferentialTest {

    @RegisterExtension
    static final NginxBeside started = new NginxBeside();

    @TempDir
    static Path dir;

    private static final List<EchoUpstream> echoes = new ArrayList<>();
    private static int deadX;
    private static int deadY;
    private static SideBySide both;

    @BeforeAll
    static void start() throws Exception {
        Map<String, List<Integer>> pools = new LinkedHashMap<>();
        for (String app : List.of("a", "b", "c", "d")) {
            EchoUpstream echo = started.add(new EchoUpstream(app));
            echoes.add(echo);
            pools.put(app, List.of(echo.port()));
        }
        int[] dead = FreePorts.pick(2); // nothing listens there: every connect is refused
        deadX = dead[0];
        deadY = dead[1];
        pools.put("x", List.of(deadX));
        pools.put("y", List.of(deadY));
        both = started.add(SideBySide.startPools(dir, "group.conf", pools, UpstreamGroupDifferentialTest::vhost));
    }

    private static String vhost(int port) {
        return """
                upstream hello {
                    server 127.0.0.1:A weight=3;
                    server 127.0.0.1:B;
                    server 127.0.0.1:C weight=2 max_fails=3;
                    server 127.0.0.1:D down;
                }
                upstream even { server 127.0.0.1:A; server 127.0.0.1:B; server 127.0.0.1:C; }
                upstream failing { server 127.0.0.1:X; server 127.0.0.1:B weight=2; server 127.0.0.1:Y; }
                upstream spare { server 127.0.0.1:X; server 127.0.0.1:Y; server 127.0.0.1:C backup; }
                server {
                    listen PORT;
                    location / { proxy_pass http://hello/; }
                    location /even/ { proxy_pass http://even/; }
                    location /failing/ { proxy_pass http://failing/; }
                    location /spare/ { proxy_pass http://spare/; }
                }
                """.replace("PORT", Integer.toString(port))
                .replace("A", Integer.toString(echoes.get(0).port())).replace("B", Integer.toString(echoes.get(1).port()))
                .replace("C", Integer.toString(echoes.get(2).port())).replace("D", Integer.toString(echoes.get(3).port()))
                .replace("X", Integer.toString(deadX)).replace("Y", Integer.toString(deadY));
    }

    @Test
    void theSameRequestsReachTheSameServersInTheSameOrder() throws IOException {
        List<String> paths = new ArrayList<>();
        for (int i = 0; i < 13; i++) {
            paths.add("/r" + i);
        }
        for (int i = 0; i < 7; i++) {
            paths.add("/even/" + i);
            paths.add("/r" + i); // interleaved: each upstream keeps its own turn
        }
        for (int i = 0; i < 5; i++) {
            paths.add("/failing/" + i);
        }
        for (int i = 0; i < 3; i++) {
            paths.add("/spare/" + i);
        }
        List<String> nginx = new ArrayList<>();
        List<String> corral = new ArrayList<>();
        for (String path : paths) {
            nginx.add(path + " " + answer(both.nginxPort, path));
            corral.add(path + " " + answer(both.corralPort, path));
        }
        assertEquals(String.join("\n", nginx), String.join("\n", corral));
        // what nginx did, for the reader: weights 3, 1, 2; the dead servers passed over, then left out
        assertEquals(List.of("/r0 200 a", "/r1 200 c", "/r2 200 a", "/r3 200 b", "/r4 200 c", "/r5 200 a"),
                nginx.subList(0, 6));
        assertEquals("/failing/1 200 b", nginx.get(28));
        assertEquals("/spare/0 200 c", nginx.get(32));
    }

    private static final Pattern APP = Pattern.compile("\"app\":\"(\\w+)\"");

    /** The status and the app that answered (none for an error of the proxy's own). */
    private static String answer(int port, String path) throws IOException {
        RawHttp.Response r = RawHttp.send(port, "GET " + path + " HTTP/1.1\r\nHost: group.test\r\nConnection: close\r\n\r\n");
        Matcher m = APP.matcher(r.body());
        return r.status() + " " + (m.find() ? m.group(1) : "-");
    }
}
