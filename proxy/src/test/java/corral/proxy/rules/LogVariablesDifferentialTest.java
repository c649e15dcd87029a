package corral.proxy.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import corral.fixtures.RawHttp;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The rules' own variables in access logs, against real nginx 1.22: the usual
 * {@code map $status $loggable { ~^[23] 0; default 1; } access_log ... if=$loggable;} (the map
 * computed when the log first reads it, with the final status; computed earlier by an {@code if},
 * kept with the status it saw then), a map over the URI whose regex sets a named capture for the
 * rest of the line, {@code set} variables as the rewrites of the answering location left them (""
 * where none ran), a named capture no regex set ("-"), a map with no default and no match, and
 * {@code $sent_http_NAME} of any header. Lines compared whole.
 */
class LogVariablesDifferentialTest {

    @RegisterExtension
    static final NginxBeside started = new NginxBeside();

    @TempDir
    static Path dir;

    private static EchoUpstream upstream;
    private static SideBySide both;

    @BeforeAll
    static void start() throws Exception {
        upstream = started.add(new EchoUpstream("app"));
        both = started.add(SideBySide.start(dir, "vars.conf", "app", upstream.port(), LogVariablesDifferentialTest::vhost));
    }

    private static Path logs(int port) {
        return dir.resolve("logs-" + port);
    }

    private static String vhost(int port) {
        try {
            Files.createDirectories(logs(port));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return """
                map $status $loggable { ~^[23] 0; default 1; }
                map $uri $section { ~^/(?<sec>[a-z]+)/ $sec; default none; }
                map $status $nodefault { 404 nf; }
                map "$status:$sent_http_x_a" $both { "~^200:a$" yes; default no; }
                log_format vars '$request|$status|$loggable|$section|$who|$sec|$cap|$unset|$nodefault|$both|$sent_http_x_a|$sent_http_content_type|$request_completion|$upstream_cache_status|$http2';
                log_format js escape=json '{"l":"$loggable","s":"$section","w":"$who","c":"$cap","u":"$unset"}';
                server {
                    listen PORT;
                    server_name vars.test;
                    access_log LOGS/all.log vars;
                    access_log LOGS/js.log js;
                    access_log LOGS/err.log vars if=$loggable;
                    set $who server;
                    location / { proxy_pass http://app; }
                    location /set/ { set $who loc; add_header X-A a; return 200 ok; }
                    location /missing/ { return 404; }
                    location ~ ^/re/(?<cap>\\w+) { return 302 /x; }
                    location /never { set $unset y; return 204; }
                    location /early { if ($loggable) { return 418; } return 500; }
                    location /deny/ { return 403; }
                }
                """.replace("PORT", Integer.toString(port)).replace("LOGS", logs(port).toString());
    }

    private static final List<String> REQUESTS = List.of(
            "GET /up/x?q=1 HTTP/1.1\r\nHost: vars.test\r\n",
            "GET /set/a HTTP/1.1\r\nHost: vars.test\r\n",
            "GET /missing/b HTTP/1.1\r\nHost: vars.test\r\n",
            "GET /re/abc HTTP/1.1\r\nHost: vars.test\r\n",
            "GET /early HTTP/1.1\r\nHost: vars.test\r\n",
            "GET /deny/z HTTP/1.1\r\nHost: vars.test\r\n",
            "GET /x/y HTTP/1.1\r\nHost: vars.test\r\n",
            // refused before a server is picked: the default server's logs, the maps still read
            "GET /bad/host HTTP/1.1\r\nHost: a..b\r\n");

    @Test
    void mapsSetVariablesAndCapturesAreLoggedAsNginxLogsThem() throws Exception {
        for (String request : REQUESTS) {
            String head = request + "Connection: close\r\n\r\n";
            RawHttp.Response n = RawHttp.send(both.nginxPort, head);
            RawHttp.Response c = RawHttp.send(both.corralPort, head);
            assertEquals(n.status(), c.status(), request);
        }
        List<String> mismatches = new ArrayList<>();
        for (String[] file : new String[][] {{"all.log", "8"}, {"js.log", "8"}, {"err.log", "4"}}) {
            int count = Integer.parseInt(file[1]);
            List<String> n = AccessLogDifferentialTest.awaitLines(logs(both.nginxPort).resolve(file[0]), count, both::nginxLog);
            List<String> c = AccessLogDifferentialTest.awaitLines(logs(both.corralPort).resolve(file[0]), count, both::nginxLog);
            // lines in any order (two connections' lines may be written either way)
            List<String> sortedN = n.stream().sorted().toList();
            List<String> sortedC = c.stream().sorted().toList();
            for (int i = 0; i < Math.max(sortedN.size(), sortedC.size()); i++) {
                String a = i < sortedN.size() ? sortedN.get(i) : "(none)";
                String b = i < sortedC.size() ? sortedC.get(i) : "(none)";
                if (!a.equals(b)) {
                    mismatches.add(file[0] + "\n    nginx:  " + a + "\n    corral: " + b);
                }
            }
        }
        if (!mismatches.isEmpty()) {
            fail(mismatches.size() + " lines differ:\n" + String.join("\n", mismatches));
        }
    }
}
