package corral.proxy.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import corral.proxy.rules.RouteDecision.Respond;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The variables of the rewrite phase that real files use: {@code $cookie_NAME} parsed as nginx
 * 1.22 parses Cookie headers (values checked against nginx 1.22.1 by hand: "A = 1 ;bb=2" gives
 * a "1 " and bb "2", "x=1, bb=3" an x of "1, bb=3": the value runs to ";" only), {@code $https}, {@code $request_id}.
 */
class RewriteVariablesTest {

    @TempDir
    Path dir;

    private String body(String text, RouteRequest request) {
        VhostConfig config = Rules.load(dir, Rules.server("location / { return 200 \"" + text
                + "\"; }"));
        return ((Respond) config.route(request)).body();
    }

    private RouteRequest request() {
        return RouteRequest.of(8080, "GET", "example.test", "/x");
    }

    @Test
    void cookieNameIgnoresCaseAndBlanksAroundEqualsAndKeepsTrailingBlanks() {
        RouteRequest r = request().withHeader("Cookie", "A = 1 ;bb=2").withHeader("Cookie", "x=1, bb=3");
        assertEquals("[1 ] [2] [1, bb=3] []", body("[$cookie_a] [$cookie_bb] [$cookie_x] [$cookie_no]", r));
    }

    @Test
    void httpsIsEmptyOnPlainHttp() {
        assertEquals("[]", body("[$https]", request()));
    }

    @Test
    void requestIdIs32HexDigitsAndTheSameWithinOneRequest() {
        String ids = body("$request_id $request_id", request());
        String[] two = ids.split(" ");
        assertTrue(two[0].matches("[0-9a-f]{32}"), ids);
        assertEquals(two[0], two[1]);
    }

    /** As nginx 1.22.1 answers (checked by hand): a set after a rewrite sees the new URI; unset is "". */
    @Test
    void setKeepsAValueAcrossRewritesAndAnUnsetVariableIsEmpty() {
        VhostConfig config = Rules.load(dir, Rules.server("set $s srv-$uri;\n"
                + "location /a { set $v \"[$uri]\"; rewrite ^ /b; }\n"
                + "location /b { set $w $v$s; return 200 \"$w|$nothing_set\"; }\n"
                + "location /c { set $nothing_set x; }"));
        assertEquals("[/a]srv-/a|", ((Respond) Rules.get(config, "/a")).body());
    }

    /** break after a rewrite stays in the location (nginx: ngx_http_script_break_code). */
    @Test
    void breakStopsTheScriptAndStaysInTheLocation() {
        VhostConfig config = Rules.load(dir, Rules.server(
                "location /a { rewrite ^ /b; break; return 200 no; }\n"
                + "location /b { return 200 b; }"));
        assertEquals(404, ((Respond) Rules.get(config, "/a")).status());
    }

    @Test
    void setOfABuiltInVariableIsRefusedWithItsLine() {
        String message = Rules.problems(dir, Rules.server("location / { set $uri x; }"))
                .getMessage();
        assertTrue(message.contains(":4:") && message.contains("$uri"), message);
    }
}
