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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * log_format / access_log / stub_status against real nginx 1.22: the same requests (proxied,
 * {@code return}s, redirects, 4xx, a 400 refused before a server is picked, headers with quotes,
 * backslashes, tabs and bytes over 0x7F) through nginx and through Corral give the same access-log
 * lines in three formats (escape=default, json and none), times and durations checked for their
 * shape only (files too: a file, a range, a missing one, a HEAD, a big file and a big range); {@code access_log off} and
 * {@code if=} skip the same lines; stub_status has nginx's
 * layout with the same request count.
 */
class AccessLogDifferentialTest {

    @RegisterExtension
    static final NginxBeside started = new NginxBeside();

    @TempDir
    static Path dir;

    private static EchoUpstream upstream;
    private static NginxOracle nginx;
    private static CorralListeners corral;
    private static int nginxPort;
    private static int corralPort;
    private static Path nginxDir;
    private static Path corralDir;

    @BeforeAll
    static void start() throws Exception {
        upstream = started.add(new EchoUpstream("app"));
        int[] ports = FreePorts.pick(2);
        nginxPort = ports[0];
        corralPort = ports[1];
        Files.writeString(Files.createDirectories(dir.resolve("files")).resolve("a.txt"), "a file, served\n".repeat(9));
        Files.writeString(dir.resolve("files/big.txt"), "a big file, sent from its channel\n".repeat(5000));
        nginxDir = Files.createDirectories(dir.resolve("nginx"));
        corralDir = Files.createDirectories(dir.resolve("corral"));
        Files.writeString(nginxDir.resolve("log.conf"), vhost(nginxPort, nginxDir), StandardCharsets.ISO_8859_1);
        Files.writeString(corralDir.resolve("log.conf"), vhost(corralPort, corralDir), StandardCharsets.ISO_8859_1);
        VhostConfig config = VhostLoader.load(corralDir.resolve("log.conf"), Set.of("app"), Map.of(upstream.port(), "app"));
        corral = started.add(new CorralListeners(config, Map.of("app", upstream.port())));
        nginx = started.add(NginxOracle.start(nginxDir, Map.of("app", upstream.port()), List.of(nginxPort)));
    }

    private static String vhost(int port, Path logs) {
        return """
                log_format main '$remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent '
                                '"$http_referer" "$http_user_agent" "$http_x_odd" $request_length';
                log_format j escape=json '{"addr":"$remote_addr","req":"$request","status":$status,'
                    '"odd":"$http_x_odd","none":"$http_x_none","host":"$host","uri":"$uri","args":"$args",'
                    '"up":"$upstream_addr","ups":"$upstream_status","rt":"$request_time",'
                    '"urt":"$upstream_response_time","iso":"$time_iso8601","msec":"$msec",'
                    '"user":"$remote_user","m":"$request_method","c":"$cookie_sid","q":"$arg_q","ru":"$request_uri"}';
                log_format raw escape=none '$request|$http_x_odd|$http_x_none|$status|${uri}x|$is_args$args';
                server {
                    listen PORT;
                    server_name log.test;
                    access_log LOGS/main.log main;
                    access_log LOGS/j.log j buffer=4k flush=200ms;
                    location / { proxy_pass http://app; }
                    location /ret { return 200 "hi\\n"; }
                    location /redir { return 301 /elsewhere; }
                    location /deny { return 403; }
                    location /rw { rewrite ^/rw/(.*)$ /ret/$1 last; }
                    location /quiet { access_log off; return 204; }
                    location /raw { access_log LOGS/raw.log raw; proxy_pass http://app; }
                    location /cond { access_log LOGS/cond.log raw if=$arg_log; return 200 ok; }
                    location = /status { stub_status; }
                    location /f/ { alias FILES/; }
                }
                """.replace("PORT", Integer.toString(port)).replace("LOGS", logs.toString())
                .replace("FILES", dir.resolve("files").toString());
    }

    private static final String ODD = "a\"b\\c\td \u00C3\u00A9 e";

    private static final List<String> REQUESTS = List.of(
            "GET /p/x?q=1&y=2 HTTP/1.1\r\nHost: log.test\r\nUser-Agent: t/1\r\nReferer: http://r.test/\r\n",
            "GET /p/%41b HTTP/1.1\r\nHost: log.test\r\nX-Odd: " + ODD + "\r\nCookie: a=1; sid=s\"1\r\n",
            "POST /p/post HTTP/1.1\r\nHost: log.test\r\nContent-Length: 5\r\nAuthorization: Basic dXNlcjpwdw==\r\n\r\nhello",
            "GET /ret HTTP/1.1\r\nHost: log.test\r\nX-Odd: " + ODD + "\r\n",
            "GET /redir?q=z HTTP/1.1\r\nHost: LOG.test:80\r\n",
            "GET /deny HTTP/1.0\r\n",
            "GET /rw/a?q=rw HTTP/1.1\r\nHost: log.test\r\n",
            "GET /quiet HTTP/1.1\r\nHost: log.test\r\n",
            "GET /raw/1?x HTTP/1.1\r\nHost: log.test\r\nX-Odd: " + ODD + "\r\n",
            "GET /cond?log=1 HTTP/1.1\r\nHost: log.test\r\n",
            "GET /cond?log=0 HTTP/1.1\r\nHost: log.test\r\n",
            "GET /cond HTTP/1.1\r\nHost: log.test\r\n",
            // files: their size, a range's, an error page's, a head's nothing
            "GET /f/a.txt HTTP/1.1\r\nHost: log.test\r\n",
            "GET /f/a.txt?r HTTP/1.1\r\nHost: log.test\r\nRange: bytes=3-9\r\n",
            "GET /f/missing HTTP/1.1\r\nHost: log.test\r\n",
            "HEAD /f/a.txt HTTP/1.1\r\nHost: log.test\r\n",
            "GET /f/big.txt HTTP/1.1\r\nHost: log.test\r\n",
            "GET /f/big.txt?r HTTP/1.1\r\nHost: log.test\r\nRange: bytes=1000-99999\r\n",
            // refused by the rules before a server is picked: logged by the port's default server
            "GET /x HTTP/1.1\r\nHost: a..b\r\n");

    @Test
    void sameRequestsGiveTheSameLinesAndTheSameStubStatus() throws Exception {
        List<RawHttp.Response> fromNginx = new ArrayList<>();
        List<RawHttp.Response> fromCorral = new ArrayList<>();
        for (String request : REQUESTS) {
            String head = request.contains("\r\n\r\n") ? request.replaceFirst("\r\n", "\r\nConnection: close\r\n")
                    : request + "Connection: close\r\n\r\n";
            fromNginx.add(RawHttp.send(nginxPort, head));
            fromCorral.add(RawHttp.send(corralPort, head));
        }
        String stubHead = "GET /status HTTP/1.1\r\nHost: log.test\r\nConnection: close\r\n\r\n";
        RawHttp.Response nginxStub = RawHttp.send(nginxPort, stubHead);
        RawHttp.Response corralStub = RawHttp.send(corralPort, stubHead);

        fromNginx.add(nginxStub);
        fromCorral.add(corralStub);
        // the requests the server's two logs get: not /quiet (off), /raw and /cond (their own access_log)
        List<Integer> logged = List.of(0, 1, 2, 3, 4, 5, 6, 12, 13, 14, 15, 16, 17, 18, 19);
        List<String> mismatches = new ArrayList<>();
        for (String file : List.of("main.log", "j.log")) {
            Map<String, String> n = byRequest(awaitLines(nginxDir.resolve(file), logged.size()));
            Map<String, String> c = byRequest(awaitLines(corralDir.resolve(file), logged.size()));
            assertEquals(n.keySet(), c.keySet(), file);
            for (int request : logged) {
                String key = requestLine(request == REQUESTS.size() ? stubHead : REQUESTS.get(request));
                String expected = shape(n.get(key));
                String actual = shape(c.get(key));
                int nginxBody = fromNginx.get(request).body().length();
                int corralBody = fromCorral.get(request).body().length();
                if (nginxBody != corralBody) {
                    // nginx's own pages name nginx: each side must log the length it sent
                    expected = expected.replace("\" " + fromNginx.get(request).status() + " " + nginxBody + " ", "\" STATUS B ");
                    actual = actual.replace("\" " + fromCorral.get(request).status() + " " + corralBody + " ", "\" STATUS B ");
                }
                if (request == REQUESTS.size() - 1) {
                    // nginx stops reading a head at the header it refuses: its $request_length is shorter
                    expected = expected.replaceAll(" \\d+$", " LENGTH");
                    actual = actual.replaceAll(" \\d+$", " LENGTH");
                }
                if (!expected.equals(actual)) {
                    mismatches.add(file + " " + key + "\n    nginx:  " + n.get(key) + "\n    corral: " + c.get(key));
                }
            }
        }
        for (String file : List.of("raw.log", "cond.log")) {
            List<String> n = awaitLines(nginxDir.resolve(file), 1);
            List<String> c = awaitLines(corralDir.resolve(file), 1);
            if (!n.equals(c)) {
                mismatches.add(file + "\n    nginx:  " + n + "\n    corral: " + c);
            }
        }
        if (!mismatches.isEmpty()) {
            fail(mismatches.size() + " lines differ:\n" + String.join("\n", mismatches));
        }

        // A closed connection leaves the count when the server has seen it close: ask again, on both, until then.
        int asked = 1;
        while (!(active(nginxStub.body()) == 1 && active(corralStub.body()) == 1) && asked < 50) {
            nginxStub = RawHttp.send(nginxPort, stubHead);
            corralStub = RawHttp.send(corralPort, stubHead);
            asked++;
        }
        Matcher n = STUB.matcher(nginxStub.body());
        Matcher c = STUB.matcher(corralStub.body());
        assertTrue(n.matches(), nginxStub.body());
        assertTrue(c.matches(), corralStub.body());
        assertEquals(nginxStub.header("Content-Type"), corralStub.header("Content-Type"));
        // nginx also counts the connections its start-up probe opened: accepts may be higher there.
        for (int group : new int[] {1, 4, 5, 6, 7}) {
            assertEquals(n.group(group), c.group(group), "stub_status figure " + group + ":\n" + nginxStub.body()
                    + corralStub.body());
        }
        assertEquals(String.valueOf(REQUESTS.size() + asked), c.group(4));
        assertEquals(String.valueOf(REQUESTS.size() + asked), c.group(2));
    }

    private static final Pattern STUB = Pattern.compile("Active connections: (\\d+) \nserver accepts handled requests\n"
            + " (\\d+) (\\d+) (\\d+) \nReading: (\\d+) Writing: (\\d+) Waiting: (\\d+) \n");

    private static int active(String page) {
        Matcher m = STUB.matcher(page);
        return m.matches() ? Integer.parseInt(m.group(1)) : -1;
    }

    private static final Pattern REQUEST_LINE = Pattern.compile("(GET|POST|HEAD) [^\" ]* HTTP/1\\.[01]");

    private static String requestLine(String text) {
        Matcher m = REQUEST_LINE.matcher(text);
        assertTrue(m.find(), text);
        return m.group();
    }

    /** Lines by their request line: two connections' lines may be written in either order. */
    private static Map<String, String> byRequest(List<String> lines) {
        Map<String, String> out = new java.util.TreeMap<>();
        lines.forEach(l -> out.put(requestLine(l), l));
        return out;
    }

    /** Times and durations as their shape: nginx's and Corral's cannot be equal. */
    static String shape(String line) {
        return line.replaceAll("\\[\\d{2}/[A-Z][a-z]{2}/\\d{4}:\\d{2}:\\d{2}:\\d{2} [+-]\\d{4}]", "[TIME]")
                .replaceAll("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}[+-]\\d{2}:\\d{2}", "ISO")
                .replaceAll("\\d{10}\\.\\d{3}", "MSEC")
                .replaceAll("\\d+\\.\\d{3}", "SECONDS");
    }

    private static List<String> awaitLines(Path file, int count) throws IOException {
        return awaitLines(file, count, nginx::log);
    }

    /** The file's lines once it has {@code count} (the writers flush a moment later); else fails with {@code context}. */
    static List<String> awaitLines(Path file, int count, java.util.function.Supplier<String> context) throws IOException {
        try {
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> lines(file).size() >= count);
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            fail(file + ": " + lines(file).size() + " lines, not " + count + ":\n" + String.join("\n", lines(file))
                    + "\n" + context.get());
        }
        return lines(file);
    }

    private static List<String> lines(Path file) throws IOException {
        if (!Files.exists(file)) {
            return List.of();
        }
        return List.of(Files.readString(file, StandardCharsets.ISO_8859_1).split("\n")).stream()
                .filter(l -> !l.isEmpty()).toList();
    }
}
