package corral.proxy.rules;

import static corral.proxy.rules.Rules.server;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import corral.proxy.rules.RouteDecision.Proxy;
import corral.proxy.rules.RouteDecision.Respond;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The proxy and client directives of a vhost in front of Node: applied ones inherit as in
 * nginx, covered ones are accepted with a notice naming what covers them, the rest are refused
 * with what to write instead. (413s are also compared with nginx in
 * {@link NginxDifferentialTest}, port F.)
 */
class ProxySettingsTest {

    @TempDir
    Path dir;

    private static RouteDecision request(VhostConfig rules, String path, long contentLength) {
        return rules.route(RouteRequest.of(8080, "POST", "example.test", path)
                .withHeader("Content-Length", Long.toString(contentLength)));
    }

    private RuleProblem only(String text) {
        RulesException e = Rules.problems(dir, text);
        assertEquals(1, e.problems().size(), e.getMessage());
        return e.problems().get(0);
    }

    @Test
    void readTimeoutAndBodySizeInheritFromTopToServerToLocation() {
        VhostConfig rules = Rules.load(dir, "proxy_read_timeout 90;\n"
                + server("    client_max_body_size 2m;\n"
                + "    location /a/ { proxy_pass http://h5; }\n"
                + "    location /b/ { proxy_read_timeout 500ms; client_max_body_size 0;"
                + " proxy_pass http://h5; }"));
        Proxy a = (Proxy) Rules.get(rules, "/a/x");
        Proxy b = (Proxy) Rules.get(rules, "/b/x");
        assertEquals(new ProxySettings(Duration.ofSeconds(90), 2L << 20), a.settings());
        assertEquals(new ProxySettings(Duration.ofMillis(500), 0), b.settings());
    }

    @Test
    void noSettingLeavesCorralsOwn() {
        Proxy p = (Proxy) Rules.get(Rules.load(dir, server("    location / { proxy_pass http://h5; }")), "/");
        assertEquals(ProxySettings.NONE, p.settings());
    }

    @Test
    void aBodyOverTheLimitIsA413BeforeTheLocationRunsButAfterTheServerRewrites() {
        VhostConfig rules = Rules.load(dir, server("    client_max_body_size 10;\n"
                + "    rewrite ^/srv$ /x;\n"
                + "    return 200 \"server\";\n"
                + "    location /loc/ { return 200 \"loc\"; }"));
        assertEquals(200, ((Respond) request(rules, "/loc/x", 11)).status(), "server return first");
        VhostConfig located = Rules.load(dir, server("    client_max_body_size 10;\n"
                + "    location /loc/ { return 200 \"loc\"; }\n"
                + "    location /dir/ { proxy_pass http://h5; }"));
        assertEquals(413, ((Respond) request(located, "/loc/x", 11)).status());
        assertEquals(200, ((Respond) request(located, "/loc/x", 10)).status());
        assertEquals(413, ((Respond) request(located, "/dir", 11)).status(), "before the auto redirect");
        assertEquals(413, ((Respond) request(located, "/none", 11)).status(), "the server's limit");
    }

    @Test
    void coveredDirectivesAreAcceptedWithANoticeNamingWhatCoversThem() {
        VhostConfig rules = Rules.load(dir, server("    keepalive_timeout 65;\n"
                + "    proxy_connect_timeout 5s;\n"
                + "    proxy_buffering on;\n"
                + "    proxy_buffering off;\n"
                + "    proxy_http_version 1.1;\n"
                + "    location / { proxy_pass http://h5; }"));
        List<String> notices = rules.notices().stream().map(RuleProblem::toString).toList();
        assertEquals(3, notices.size(), notices.toString());
        assertTrue(notices.get(0).contains(":4: \"keepalive_timeout\" is accepted, not applied:"
                + " conf/corral.properties client.idle.timeout.ms"), notices.toString());
        assertTrue(notices.get(1).contains(":5: \"proxy_connect_timeout\""), notices.toString());
        assertTrue(notices.get(2).contains(":6: \"proxy_buffering on\" is accepted, not applied:"
                + " Corral streams"), notices.toString());
    }

    @Test
    void responseDirectivesAreCheckedAsNginxChecksThemAndWhatCorralLacksIsRefused() {
        assertTrue(only(server("    location / { proxy_redirect default; proxy_pass http://h5; }")).message()
                .contains("should be placed after the \"proxy_pass\" directive"));
        assertTrue(only(server("    proxy_redirect off; proxy_redirect / /x/;")).message()
                .contains("\"proxy_redirect\" directive is duplicate"));
        assertTrue(only(server("    proxy_redirect / /x/; proxy_redirect off;")).message()
                .contains("\"proxy_redirect\" directive is duplicate"));
        assertTrue(only(server("    proxy_redirect ~(a /x/;")).message().contains("invalid regex"));
        assertTrue(only(server("    add_header X-A a sometimes;")).message()
                .contains("invalid parameter \"sometimes\""));
        assertTrue(only(server("    expires 1h; expires 2h;")).message()
                .contains("\"expires\" directive is duplicate"));
        assertTrue(only(server("    expires @25h;")).message()
                .contains("daily time value must be less than 24 hours"));
        assertTrue(only(server("    expires modified @15h;")).message()
                .contains("daily time cannot be used with \"modified\" parameter"));
        assertTrue(only(server("    expires $arg_e;")).message()
                .contains("\"expires\" with variables is not supported by Corral"));
        assertTrue(only(server("    expires 500ms;")).message().contains("invalid value \"500ms\""));
        assertTrue(only(server("    expires soon 1h;")).message().contains("invalid value \"soon\""));
        assertTrue(only(server("    add_header X-U $nope;")).message().contains("nope"));
    }

    @Test
    void directivesThatWouldChangeAnswersAreRefusedWithWhatToWrite() {
        assertTrue(only(server("    proxy_next_upstream error http_501;")).message()
                .contains("invalid value \"http_501\" (expected error, timeout, invalid_header, http_500"));
        assertTrue(only(server("    proxy_next_upstream error off;")).message()
                .contains("\"off\" cannot be combined"));
        assertTrue(only(server("    proxy_redirect default;")).message()
                .contains("\"proxy_redirect default\" should be placed after the \"proxy_pass\" directive"));
        assertTrue(only(server("    proxy_http_version 2;")).message()
                .contains("invalid value \"2\""));
        assertTrue(only(server("    proxy_read_timeout soon;")).message()
                .contains("invalid value \"soon\""));
        assertTrue(only(server("    client_max_body_size 1t;")).message()
                .contains("invalid value \"1t\""));
    }

    @Test
    void nginxTimesAndSizesReadAsNginxReadsThem() {
        assertEquals(Duration.ofSeconds(60), NginxUnits.time("60"));
        assertEquals(Duration.ofSeconds(90), NginxUnits.time("1m30s"));
        assertEquals(Duration.ofMillis(500), NginxUnits.time("500ms"));
        assertEquals(Duration.ofHours(2), NginxUnits.time("2h"));
        assertEquals(null, NginxUnits.time("1.5s"));
        assertEquals(10L << 20, NginxUnits.size("10M"));
        assertEquals(512L << 10, NginxUnits.size("512k"));
        assertEquals(0, NginxUnits.size("0"));
        assertEquals(-1, NginxUnits.size("-1"));
    }
}
