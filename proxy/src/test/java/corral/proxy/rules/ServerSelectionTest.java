package corral.proxy.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;

import corral.proxy.rules.RouteDecision.Respond;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which server a Host picks, in nginx's order. */
class ServerSelectionTest {

    @TempDir
    Path dir;

    private VhostConfig config;

    @BeforeEach
    void load() {
        config = Rules.load(dir, """
                server { listen 8080; server_name first.test; return 200 first; }
                server { listen 8080; server_name exact.example.com; return 200 exact; }
                server { listen 8080; server_name *.example.com; return 200 head-short; }
                server { listen 8080; server_name *.deep.example.com; return 200 head-long; }
                server { listen 8080; server_name .dot.test; return 200 dot; }
                server { listen 8080; server_name www.example.*; return 200 tail-short; }
                server { listen 8080; server_name www.example.co.*; return 200 tail-long; }
                server { listen 8080; server_name ~^(?<who>[a-z]+)\\.re\\.test$; return 200 "re1 $who $1"; }
                server { listen 8080; server_name ~\\.re\\.test$; return 200 re2; }
                server { listen 8080; server_name ~^UP\\.test$; return 200 caseless; }
                server { listen 8080 default_server; server_name default.test; return 200 default; }
                server { listen 9090; server_name nine.test; return 200 nine-first; }
                server { listen 9090; server_name other.nine; return 200 nine-other; }
                """);
    }

    private String body(int port, String host) {
        return ((Respond) config.route(RouteRequest.of(port, "GET", host, "/"))).body();
    }

    @Test
    void exactNameWinsOverEveryWildcard() {
        assertEquals("exact", body(8080, "exact.example.com"));
        assertEquals("exact", body(8080, "EXACT.Example.COM:8080"));
        assertEquals("exact", body(8080, "exact.example.com."));
    }

    @Test
    void longestLeadingWildcardWins() {
        assertEquals("head-short", body(8080, "a.example.com"));
        assertEquals("head-long", body(8080, "a.deep.example.com"));
        assertEquals("head-short", body(8080, "deep.example.com"));
        assertEquals("default", body(8080, "example.com"));
    }

    @Test
    void dotNameMatchesTheDomainAndItsSubdomains() {
        assertEquals("dot", body(8080, "dot.test"));
        assertEquals("dot", body(8080, "a.b.dot.test"));
    }

    @Test
    void leadingWildcardsComeBeforeTrailingOnes() {
        assertEquals("head-short", body(8080, "www.example.com"));
        assertEquals("tail-short", body(8080, "www.example.org"));
        assertEquals("tail-long", body(8080, "www.example.co.uk"));
        assertEquals("default", body(8080, "www.example"));
    }

    @Test
    void regexNamesAreTriedInFileOrderWithTheirCaptures() {
        assertEquals("re1 abc abc", body(8080, "abc.re.test"));
        assertEquals("re2", body(8080, "a1.re.test"));
    }

    @Test
    void aRegexNameWithAnUpperCaseLetterIgnoresCase() {
        assertEquals("caseless", body(8080, "up.test"));
    }

    @Test
    void unknownOrMissingHostGoesToTheDefaultServer() {
        assertEquals("default", body(8080, "nobody.test"));
        assertEquals("default", body(8080, null));
    }

    @Test
    void withoutDefaultServerTheFirstServerOfThePortIsTheDefault() {
        assertEquals("nine-first", body(9090, "nobody.test"));
        assertEquals("nine-other", body(9090, "other.nine"));
        assertEquals("nine-first", body(9090, "first.test"));
    }

    @Test
    void invalidHostIsABadRequest() {
        for (String host : new String[] {"a..b", "a/b", "", ":80", "a b"}) {
            assertEquals(400, ((Respond) config.route(RouteRequest.of(8080, "GET", host, "/")))
                    .status(), host);
        }
    }

    @Test
    void http11WithoutHostIsABadRequest() {
        RouteRequest r = new RouteRequest(8080, "127.0.0.1", "127.0.0.1", "http", "GET",
                "HTTP/1.1", null, "/", java.util.List.of());
        assertEquals(400, ((Respond) config.route(r)).status());
    }

    @Test
    void theHostOfAnAbsoluteTargetWinsOverTheHostHeader() {
        RouteDecision d = config.route(RouteRequest.of(8080, "GET", "nobody.test",
                "http://exact.example.com/x"));
        assertEquals("exact", ((Respond) d).body());
    }
}
