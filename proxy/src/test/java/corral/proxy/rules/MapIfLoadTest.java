package corral.proxy.rules;

import static corral.proxy.rules.Rules.problems;
import static corral.proxy.rules.Rules.server;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import corral.proxy.rules.RouteDecision.Proxy;
import corral.proxy.rules.RouteDecision.Respond;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Loading {@code map} and {@code if}: what nginx refuses, and what Corral cannot do, is refused
 * with file:line and the reason. (What they answer: MapIfDifferentialTest, against nginx.)
 */
class MapIfLoadTest {

    @TempDir
    Path dir;

    private void assertProblem(String conf, int line, String messagePart) {
        RulesException e = problems(dir, conf);
        assertEquals(1, e.problems().size(), e.getMessage());
        RuleProblem p = e.problems().get(0);
        assertEquals(dir.resolve("test.conf"), p.file(), p.toString());
        assertEquals(line, p.line(), p.toString());
        assertTrue(p.message().contains(messagePart), p.toString());
    }

    private static String inLocation(String body) {
        return server("    location / {\n" + body + "\n        proxy_pass http://h5;\n    }");
    }

    @Test
    void fileTestsTakeOneValue() {
        assertProblem(inLocation("        if (!-f $uri $args) { return 404; }"), 5,
                "invalid condition \"!-f\" (expected (-f value)");
        assertProblem(server("    if (-d) { return 404; }"), 4, "invalid condition \"-d\"");
    }

    @Test
    void whatNginxRefusesInsideIfIsRefused() {
        assertProblem(inLocation("        if ($uri) {\n            if ($args) { return 200; }\n        }"),
                6, "nginx allows no \"if\" inside an \"if\"");
        assertProblem(inLocation("        if ($uri) { proxy_set_header X-A b; }"), 5,
                "\"proxy_set_header\" directive is not allowed inside \"if\" here (nginx refuses it too");
        assertProblem(inLocation("        if ($uri) { proxy_pass http://api/x/; }"), 5,
                "\"proxy_pass\" cannot have URI part inside \"if\" statement");
        assertProblem(server("    if ($uri) { proxy_pass http://api; }"), 4,
                "\"proxy_pass\" directive is not allowed inside \"if\" here");
    }

    @Test
    void whatNginxTakesInsideIfButCorralDoesNotIsRefusedWithTheReason() {
        assertProblem(inLocation("        if ($uri) { add_header X-A b; }"), 5,
                "\"add_header\" inside \"if\" is not supported by Corral");
    }

    @Test
    void badConditionsAreRefused() {
        assertProblem(server("    if $uri { return 200; }"), 4, "invalid condition \"$uri\"");
        assertProblem(server("    if ($uri == x) { return 200; }"), 4, "unexpected \"==\" in condition");
        assertProblem(server("    if ($1) { return 200; }"), 4, "unknown \"1\" variable");
        assertProblem(server("    if ($nothing) { return 200; }"), 4, "unknown variable \"$nothing\"");
        assertProblem(server("    if ($uri ~ \"(\") { return 200; }"), 4, "invalid regex");
    }

    @Test
    void mapIsRefusedWhereNginxRefusesIt() {
        assertProblem(server("    map $uri $m { default 1; }"), 4,
                "\"map\" directive is not allowed here (only at the top level of a vhost file, or in http)");
        assertProblem("map $uri $host { default 1; }\n" + server(""), 1,
                "the duplicate \"host\" variable");
        assertProblem("map $uri $m {\n    default 1;\n    default 2;\n}\n" + server(""), 3,
                "duplicate default map parameter");
        assertProblem("map $uri $m {\n    /a 1;\n    /A 2;\n}\n" + server(""), 3,
                "conflicting parameter \"/A\"");
        assertProblem("map $host $m {\n    hostnames;\n    a.*.b 1;\n}\n" + server(""), 3,
                "invalid hostname or wildcard \"a.*.b\"");
        assertProblem("map $uri $m {\n    /a 1 2;\n}\n" + server(""), 2,
                "invalid number of the map parameters");
    }

    @Test
    void aMapDefinedAfterItsUseIsFound() {
        VhostConfig config = Rules.load(dir, server("    location / { return 200 \"[$m]\"; }")
                + "map $uri $m { default d; /x ex; }\n");
        assertEquals("[ex]", ((Respond) Rules.get(config, "/x")).body());
        assertEquals("[d]", ((Respond) Rules.get(config, "/y")).body());
    }

    @Test
    void theAppsAServerReachesIncludeThoseOfItsIfs() {
        VhostConfig config = Rules.load(dir, inLocation(
                "        if ($http_x_api) { proxy_pass http://api; }"));
        assertEquals(java.util.Set.of("api", "h5"), config.appsReached(8080, "example.test"));
        assertInstanceOf(Proxy.class, Rules.get(config, "/"));
    }
}
