package corral.proxy.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;

import corral.proxy.rules.RouteDecision.Proxy;
import corral.proxy.rules.RouteDecision.Redirect;
import corral.proxy.rules.RouteDecision.Respond;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which location a URI picks, in nginx's order. */
class LocationMatchingTest {

    @TempDir
    Path dir;

    private VhostConfig config;

    @BeforeEach
    void load() {
        config = Rules.load(dir, Rules.server("""
                    location = /exact { return 200 exact; }
                    location /exact { return 200 prefix-exact; }
                    location / { return 200 root; }
                    location /img/ { return 200 img-prefix; }
                    location ^~ /static/ { return 200 static-noregex; }
                    location /static/deeper/ { return 200 static-deeper; }
                    location ~ \\.png$ { return 200 png-regex; }
                    location ~* \\.(png|jpg)$ { return 200 image-caseless; }
                    location ~ ^/img/ { return 200 img-regex; }
                    location /app/ { proxy_pass http://h5; }
                    location = /only-exact/ { proxy_pass http://nuomi; }
                    location /plain/ { }
                """));
    }

    private String body(String uri) {
        RouteDecision d = Rules.get(config, uri);
        return d instanceof Respond r ? r.body() : d.toString();
    }

    @Test
    void exactLocationStopsTheSearch() {
        assertEquals("exact", body("/exact"));
        assertEquals("prefix-exact", body("/exact/more"));
    }

    @Test
    void regexesBeatThePrefixAndTheFirstInFileOrderWins() {
        assertEquals("png-regex", body("/img/a.png"));
        assertEquals("image-caseless", body("/img/a.PNG"));
        assertEquals("image-caseless", body("/img/a.jpg"));
        assertEquals("img-regex", body("/img/a.gif"));
    }

    @Test
    void caretTildeOnTheLongestPrefixSkipsTheRegexes() {
        assertEquals("static-noregex", body("/static/a.png"));
    }

    @Test
    void caretTildeThatIsNotTheLongestPrefixDoesNotSkipTheRegexes() {
        assertEquals("png-regex", body("/static/deeper/a.png"));
        assertEquals("static-deeper", body("/static/deeper/a.txt"));
    }

    @Test
    void withoutRegexMatchTheLongestPrefixIsUsed() {
        assertEquals("root", body("/other"));
        assertEquals("root", body("/img"));
        assertEquals("root", body("/IMG/a.gif"));
    }

    @Test
    void proxyingPrefixLocationRedirectsTheNameWithoutItsSlash() {
        assertEquals(new Redirect(301, "http://example.test:8080/app/"), Rules.get(config, "/app"));
        assertEquals(new Redirect(301, "http://example.test:8080/app/?a=1"),
                Rules.get(config, "/app?a=1"));
        assertEquals(new Redirect(301, "http://example.test:8080/only-exact/"),
                Rules.get(config, "/only-exact"));
        assertEquals("h5", ((Proxy) Rules.get(config, "/app/x")).app());
    }

    @Test
    void locationWithoutHandlerIsNotFoundOrNotAllowed() {
        assertEquals(404, ((Respond) Rules.get(config, "/plain/x")).status());
        assertEquals(405, ((Respond) config.route(RouteRequest.of(8080, "PUT", "example.test",
                "/plain/x"))).status());
        assertEquals(404, ((Respond) config.route(RouteRequest.of(8080, "POST", "example.test",
                "/plain/x"))).status());
    }

    @Test
    void matchingUsesTheNormalisedUri() {
        assertEquals("exact", body("/a/../exact"));
        assertEquals("exact", body("//ex%61ct"));
        assertEquals("img-regex", body("/static/%2e%2e/img/x"));
        assertEquals(400, ((Respond) Rules.get(config, "/../exact")).status());
    }
}
