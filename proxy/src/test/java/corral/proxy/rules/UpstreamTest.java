package corral.proxy.rules;

import static corral.proxy.rules.Rules.get;
import static corral.proxy.rules.Rules.server;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import corral.proxy.balance.ServerGroup;
import corral.proxy.rules.RouteDecision.HeaderSet;
import corral.proxy.rules.RouteDecision.Proxy;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code upstream} blocks and {@code proxy_pass} to an address: each must come down to one
 * app's pool, through its public port on this host, or be refused with the reason. (The
 * routing itself is compared with nginx in {@link NginxDifferentialTest}, port F.)
 */
class UpstreamTest {

    /** As in the seed's pm2.json: nuomi behind 8197, h5 behind 8198. */
    private static final Map<Integer, String> PORTS = Map.of(8197, "nuomi", 8198, "h5");

    @TempDir
    Path dir;

    private VhostConfig load(String text) {
        return Rules.load(dir, text, PORTS);
    }

    private RuleProblem only(String text) {
        RulesException e = Rules.problems(dir, text, PORTS);
        assertEquals(1, e.problems().size(), e.getMessage());
        return e.problems().get(0);
    }

    private void assertProblem(String text, int line, String message) {
        RuleProblem p = only(text);
        assertEquals(line, p.line(), p.toString());
        assertTrue(p.message().contains(message), p.toString());
    }

    @Test
    void anUpstreamOfAnAppsPublicPortRoutesToThatAppWithItsNameAsProxyHost() {
        VhostConfig rules = load("upstream backend { server 127.0.0.1:8198; }\n"
                + server("    location / { proxy_pass http://backend; }\n"
                + "    location /v/ { proxy_pass http://Backend/v2/; }"));
        assertEquals(new Proxy("h5", "/a?b", List.of(), "backend"), get(rules, "/a?b"));
        assertEquals(new Proxy("h5", "/v2/x", List.of(), "Backend"), get(rules, "/v/x"));
    }

    @Test
    void anUpstreamMayBeDefinedAfterTheProxyPassThatNamesIt() {
        VhostConfig rules = load(server("    location / { proxy_pass http://later; }")
                + "upstream later { server localhost:8197; }\n");
        assertEquals("nuomi", ((Proxy) get(rules, "/")).app());
    }

    @Test
    void proxyPassToAnAppsPortOnThisHostRoutesToTheApp() {
        VhostConfig rules = load(server(
                "    location /a/ { proxy_pass http://127.0.0.1:8197; }\n"
                + "    location /b/ { proxy_pass http://localhost:8198/in/; }\n"
                + "    location /c/ { proxy_pass http://nuomi; }"));
        assertEquals(new Proxy("nuomi", "/a/x", List.of(), "127.0.0.1:8197"), get(rules, "/a/x"));
        assertEquals(new Proxy("h5", "/in/x", List.of(), "localhost:8198"), get(rules, "/b/x"));
        assertEquals(new Proxy("nuomi", "/c/x", List.of(), "nuomi"), get(rules, "/c/x"));
    }

    @Test
    void proxyHostVariableIsTheHostAsWritten() {
        VhostConfig rules = load(server("    location / {\n"
                + "        proxy_set_header X-P $proxy_host;\n"
                + "        proxy_pass http://127.0.0.1:8197;\n    }"));
        assertEquals(List.of(new HeaderSet("X-P", "127.0.0.1:8197")),
                ((Proxy) get(rules, "/")).headers());
    }

    @Test
    void anUpstreamServerOnAnotherHostIsRefusedWithTheReason() {
        assertProblem("upstream far { server 10.0.0.7:8197; }\n", 1,
                "server \"10.0.0.7:8197\" cannot be forwarded: it is not this host (Corral"
                        + " forwards only to the pools it supervises");
    }

    @Test
    void anUpstreamServerOnAPortNoAppOwnsIsRefusedWithThePublicPorts() {
        assertProblem("upstream node {\n    server 127.0.0.1:3000;\n}\n", 2,
                "server \"127.0.0.1:3000\" cannot be forwarded: port 3000 is no app's public"
                        + " port (public ports: 8197 nuomi, 8198 h5)");
        assertProblem(server("    location / { proxy_pass http://localhost; }"), 4,
                "port 80 is no app's public port");
    }

    @Test
    void anUpstreamOverTwoAppsPicksAPoolByRoundRobinAndRefusesOtherBalancers() {
        VhostConfig rules = load("upstream mix {\n    server 127.0.0.1:8197 weight=2;\n"
                + "    server 127.0.0.1:8198 backup max_fails=2;\n    server localhost:8198 down;\n}\n"
                + server("    location / { proxy_pass http://mix; }"));
        Proxy p = (Proxy) get(rules, "/x");
        assertEquals("nuomi", p.app());
        assertEquals(List.of(new ServerGroup.Server("nuomi", 2, false, false), new ServerGroup.Server("h5", 1, true, false),
                new ServerGroup.Server("h5", 1, false, true)), p.group().servers());
        assertEquals(java.util.Set.of("nuomi", "h5"), rules.appsReached(8080, "example.test"));
        assertEquals(1, rules.notices().size(), rules.notices().toString());
        assertTrue(rules.notices().get(0).toString().contains(":3: \"max_fails=2\" is not applied"));
        assertProblem("upstream mix {\n    ip_hash;\n    server 127.0.0.1:8197;\n    server 127.0.0.1:8198;\n}\n",
                2, "\"ip_hash\" is not supported in an upstream over several apps");
    }

    @Test
    void serverParametersThatWouldChangeAnswersAreRefused() {
        assertProblem("upstream u { server 127.0.0.1:8197 down; }\n", 1, "\"down\" is not supported");
        assertProblem("upstream u { server 127.0.0.1:8197 backup; }\n", 1, "\"backup\" is not supported");
        assertProblem("upstream u { server 127.0.0.1:8197 resolve; }\n", 1,
                "invalid parameter \"resolve\"");
        assertProblem("upstream u { server 127.0.0.1:8197 weight=x; }\n", 1,
                "invalid parameter \"weight=x\"");
    }

    @Test
    void upstreamShapeProblemsAreRefused() {
        assertProblem("upstream u { }\n", 1, "upstream \"u\" has no \"server\"");
        assertProblem("upstream u { server 127.0.0.1:8197; sticky cookie s; }\n", 1,
                "\"sticky\" is not supported in upstream");
        assertProblem("upstream u { server 127.0.0.1:8197; }\nupstream U { server 127.0.0.1:8197; }\n",
                2, "duplicate upstream \"U\"");
        assertProblem(server("    upstream u { server 127.0.0.1:8197; }"), 4,
                "\"upstream\" directive is not allowed here (only at the top level");
    }

    @Test
    void ignoredUpstreamSettingsAreAcceptedWithANoticeEach() {
        VhostConfig rules = load("upstream u {\n"
                + "    least_conn;\n"
                + "    server 127.0.0.1:8197 weight=5 max_fails=3 fail_timeout=30s;\n"
                + "    keepalive 64;\n"
                + "}\n" + server("    location / { proxy_pass http://u; }"));
        List<String> notices = rules.notices().stream().map(RuleProblem::toString).toList();
        assertEquals(5, notices.size(), notices.toString());
        assertTrue(notices.get(0).startsWith(dir.resolve("test.conf") + ":2: \"least_conn\" is ignored"),
                notices.toString());
        assertTrue(notices.get(1).contains(":3: \"weight=5\" is ignored"), notices.toString());
        assertTrue(notices.get(4).contains(":4: \"keepalive\" is ignored: Corral keeps its own"
                + " idle connections"), notices.toString());
    }

    @Test
    void aRulesFileWithoutIgnoredDirectivesHasNoNotices() {
        assertEquals(List.of(), load(server("    location / { proxy_pass http://h5; }")).notices());
    }
}
