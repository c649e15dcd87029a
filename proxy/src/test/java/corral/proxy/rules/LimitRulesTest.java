package corral.proxy.rules;

import static corral.proxy.rules.Rules.server;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import corral.proxy.limit.LimitPolicy;
import corral.proxy.limit.RateLimit;
import corral.proxy.limit.RequestLimits;
import corral.proxy.rules.RouteDecision.Proxy;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The limit_req and limit_conn directives as nginx 1.22 reads and merges them: where each may
 * stand, its checks (with nginx's words and the file:line), and what a request meets after the
 * inheritance. (What they do to requests, against nginx: LimitDifferentialTest.)
 */
class LimitRulesTest {

    private static final String ZONES = "limit_req_zone $binary_remote_addr zone=one:1m rate=2r/s;\n"
            + "limit_req_zone $http_x_key zone=two:1m rate=30r/m;\n"
            + "limit_conn_zone $binary_remote_addr zone=addr:1m;\n";

    @TempDir
    Path dir;

    private RequestLimits limits(VhostConfig rules, String path) {
        return ((Proxy) Rules.get(rules, path)).limits();
    }

    private String problems(String text) {
        return Rules.problems(dir, text).getMessage();
    }

    @Test
    void aLevelWithAnyLimitReqReplacesTheOuterOnesAndStatusesInheritOnTheirOwn() {
        VhostConfig rules = Rules.load(dir, ZONES + "limit_req zone=one;\nlimit_req_status 429;\n"
                + server("    limit_conn addr 5;\n"
                + "    location /a/ { proxy_pass http://h5; }\n"
                + "    location /b/ { limit_req zone=two burst=4 nodelay; limit_req zone=one delay=2;"
                + " limit_conn_dry_run on; proxy_pass http://h5; }"));
        RequestLimits a = limits(rules, "/a/x");
        assertEquals(1, a.rate().size());
        assertEquals("one", a.rate().get(0).limit().zone().name());
        assertEquals("\u007f\0\0\u0001", a.rate().get(0).key());
        assertEquals(new LimitPolicy(429, LimitPolicy.Level.ERROR, false), a.ratePolicy());
        assertEquals(5, a.conn().get(0).limit());
        RequestLimits b = limits(rules, "/b/x");
        List<RateLimit> bLimits = b.rate().stream().map(c -> c.limit()).toList();
        assertEquals(List.of("two", "one"), bLimits.stream().map(l -> l.zone().name()).toList());
        assertEquals(4000, bLimits.get(0).burst());
        assertEquals(RateLimit.NO_DELAY, bLimits.get(0).delay());
        assertEquals(2000, bLimits.get(1).delay());
        assertEquals("", b.rate().get(0).key());
        assertEquals(500, bLimits.get(0).zone().rate());
        assertEquals(429, b.ratePolicy().status());
        assertTrue(b.connPolicy().dryRun());
        assertEquals(5, b.conn().get(0).limit());
    }

    @Test
    void noLimitMeansNoLimits() {
        VhostConfig rules = Rules.load(dir, ZONES + server("    location / { proxy_pass http://h5; }"));
        assertEquals(RequestLimits.NONE, limits(rules, "/"));
    }

    @Test
    void zonesBelongToTheTopLevel() {
        String text = server("    limit_req_zone $uri zone=z:1m rate=1r/s;\n"
                + "    location / { proxy_pass http://h5; }");
        assertTrue(problems(text).contains("test.conf:4: \"limit_req_zone\" directive is not allowed"
                + " here (only at the top level of a vhost file)"), problems(text));
    }

    @Test
    void nginxsChecksWithFileAndLine() {
        String text = "limit_req_zone $a zone=small:16k rate=1r/s;\n"
                + "limit_req_zone $a zone=r:1m rate=3r/h;\n"
                + "limit_req_zone $a zone=nosize rate=1r/s;\n"
                + "limit_req_zone $a zone=s:1m rate=1r/s sync;\n"
                + "limit_req_zone $uri zone=one:1m rate=1r/s;\n"
                + "limit_req_zone $uri zone=one:1m rate=1r/s;\n"
                + "limit_conn_zone $uri zone=one:1m;\n"
                + server("    limit_req zone=one burst=0;\n"
                + "    limit_req zone=one nodelay fast;\n"
                + "    limit_req burst=5;\n"
                + "    limit_req zone=missing;\n"
                + "    limit_conn addr 0;\n"
                + "    limit_req_status 302;\n"
                + "    limit_req_log_level debug;\n"
                + "    limit_conn_dry_run yes;\n"
                + "    location / { limit_req zone=one; limit_req zone=one; proxy_pass http://h5; }");
        String message = problems(text);
        for (String expected : List.of(
                "test.conf:1: zone \"small\" is too small",
                "test.conf:2: invalid rate \"rate=3r/h\"",
                "test.conf:3: invalid zone size \"zone=nosize\"",
                "test.conf:4: \"sync\" is NGINX Plus's zone synchronisation",
                "test.conf:6: limit_req_zone \"one\" is already bound to key \"$uri\"",
                "test.conf:7: the shared memory zone \"one\" is already declared for a different use",
                "test.conf:11: invalid burst value \"burst=0\"",
                "test.conf:12: invalid parameter \"fast\"",
                "test.conf:13: \"limit_req\" must have \"zone\" parameter",
                "test.conf:14: unknown limit_req zone \"missing\"",
                "test.conf:15: invalid number of connections \"0\"",
                "test.conf:16: value must be between 400 and 599",
                "test.conf:17: invalid value \"debug\"",
                "test.conf:18: invalid value \"yes\" in \"limit_conn_dry_run\" directive",
                "test.conf:19: \"zone=one\" is duplicate")) {
            assertTrue(message.contains(expected), "missing «" + expected + "» in:\n" + message);
        }
    }
}
