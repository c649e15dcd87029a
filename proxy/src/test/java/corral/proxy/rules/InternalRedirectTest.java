package corral.proxy.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import corral.proxy.rules.RouteDecision.Proxy;
import corral.proxy.rules.RouteDecision.Respond;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The entries that error_page and try_files use: {@link RouteEngine#internalRedirect} (the
 * server's rewrites again, a new location search, the URI re-encoded upstream) and
 * {@link RouteEngine#namedLocation} (that location's rewrites, $uri kept), both counted against
 * nginx's ten URI changes; and named locations, which no request matches.
 */
class InternalRedirectTest {

    @TempDir
    Path dir;

    private VhostConfig config;

    @BeforeEach
    void load() {
        config = Rules.load(dir, Rules.server("""
                    rewrite ^/srv/(.*)$ /api/$1;
                    location /api/ { proxy_pass http://api/v1/; }
                    location /h5/ { proxy_pass http://h5; }
                    location /count/ {
                        rewrite ^/count/x(.*)$ /count/$1 last;
                        return 200 "done $uri";
                    }
                    location @fallback {
                        set $via fallback;
                        proxy_pass http://nuomi;
                    }
                    location @text { return 200 "named $uri?$args"; }
                    location @jump { rewrite ^ /h5/jumped last; }
                """));
    }

    /** A request for a URI whose internal redirect goes on from {@code target}: a URI (with "?") or "@name". */
    private RouteDecision redirected(String requestTarget, String target) {
        RouteRequest request = RouteRequest.of(8080, "GET", "example.test", requestTarget);
        RequestContext ctx = new RequestContext(request, "example.test", UriNormalizer.parse(requestTarget));
        ctx.server = ((RouteEngine) config.router()).server(8080, "example.test");
        if (target.startsWith("@")) {
            return RouteEngine.namedLocation(ctx, target);
        }
        int q = target.indexOf('?');
        return RouteEngine.internalRedirect(ctx, q < 0 ? target : target.substring(0, q),
                q < 0 ? "" : target.substring(q + 1));
    }

    private static Proxy proxy(String app, String uri) {
        return new Proxy(app, uri, List.of(), app);
    }

    @Test
    void aRedirectSearchesTheLocationAgainAndReEncodesTheUri() {
        assertEquals(proxy("api", "/v1/x%20y?a=1"), Rules.strip(redirected("/none", "/api/x y?a=1")));
        assertEquals(proxy("h5", "/h5/z"), Rules.strip(redirected("/none?q=1", "/h5/z")));
    }

    @Test
    void aRedirectRunsTheServersRewritesAgain() {
        assertEquals(proxy("api", "/v1/s"), Rules.strip(redirected("/none", "/srv/s")));
    }

    @Test
    void aNamedLocationKeepsTheUriAndSendsTheRequestTargetAsReceived() {
        assertEquals(proxy("nuomi", "/a%7e/./b?x=1"), Rules.strip(redirected("/a%7e/./b?x=1", "@fallback")));
        assertEquals(new Respond(200, "named /a b?x=1", "text/plain"),
                Rules.strip(redirected("/a%20b?x=1", "@text")));
        assertEquals(proxy("h5", "/h5/jumped?x=1"), Rules.strip(redirected("/q?x=1", "@jump")));
    }

    @Test
    void anUnknownNameIsA500() {
        assertEquals(500, ((Respond) redirected("/x", "@missing")).status());
    }

    @Test
    void theRedirectCountsAgainstTheTenUriChanges() {
        // the redirect is one change, each "rewrite ... last" another: the 11th is a 500
        assertEquals(new Respond(200, "done /count/", "text/plain"), Rules.strip(redirected("/x", "/count/" + "x".repeat(9))));
        assertEquals(500, ((Respond) redirected("/x", "/count/" + "x".repeat(10))).status());
    }

    @Test
    void noRequestMatchesANamedLocation() {
        assertEquals(404, ((Respond) Rules.get(config, "/@fallback")).status());
    }

    @Test
    void aNamedLocationCannotHaveAProxyPassUri() {
        RulesException e = Rules.problems(dir, Rules.server("location @x { proxy_pass http://h5/p/; }"));
        assertTrue(e.getMessage().contains("inside named location"), e.getMessage());
    }
}
