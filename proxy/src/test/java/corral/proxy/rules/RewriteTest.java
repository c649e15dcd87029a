package corral.proxy.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;

import corral.proxy.rules.RouteDecision.Close;
import corral.proxy.rules.RouteDecision.HeaderSet;
import corral.proxy.rules.RouteDecision.Proxy;
import corral.proxy.rules.RouteDecision.Redirect;
import corral.proxy.rules.RouteDecision.Respond;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** rewrite and return: flags, arguments, captures, the cycle limit, proxy URIs. */
class RewriteTest {

    @TempDir
    Path dir;

    private VhostConfig config;

    @BeforeEach
    void load() {
        config = Rules.load(dir, Rules.server("""
                    rewrite ^/m/(.*)$ /h5/page/$1 last;
                    rewrite ^/old/(.*)$ /new/$1 permanent;
                    rewrite ^/tmp/(.*)$ /new/$1 redirect;
                    rewrite ^/ext/(.*)$ https://ext.test/$1;
                    rewrite ^/drop/(.*)$ /h5/drop/$1? last;
                    rewrite ^/add/(.*)$ /h5/add?from=$1 last;
                    location /h5/ { proxy_pass http://h5; }
                    location /api/ { proxy_pass http://api/v1/; }
                    location /brk/ {
                        rewrite ^/brk/(.*)$ /inner/$1 break;
                        proxy_pass http://api/ignored/;
                    }
                    location /loop/ { rewrite ^(.*)$ $1 last; }
                    location /count/ {
                        rewrite ^/count/x(.*)$ /count/$1 last;
                        return 200 "done $uri";
                    }
                    location /seq/ {
                        rewrite ^/seq/(.*)$ /then/$1;
                        return 200 "$uri?$args";
                    }
                    location /ret/ { return 410 "gone $uri\\n"; }
                    location /err/ { return 403; }
                    location /close/ { return 444; }
                    location /url/ { return https://other.test$request_uri; }
                    location /hdr/ {
                        proxy_set_header X-Real-IP $remote_addr;
                        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
                        proxy_set_header X-Empty "";
                        proxy_pass http://nuomi;
                    }
                """));
    }

    private RouteDecision get(String uri) {
        return Rules.get(config, uri);
    }

    @Test
    void lastSearchesTheLocationsAgainWithTheNewUri() {
        assertEquals(new Proxy("h5", "/h5/page/abc?x=1", List.of()), get("/m/abc?x=1"));
    }

    @Test
    void permanentAndRedirectAnswer301And302WithArgsKept() {
        assertEquals(new Redirect(301, "http://example.test:8080/new/a?b=c"), get("/old/a?b=c"));
        assertEquals(new Redirect(302, "http://example.test:8080/new/a"), get("/tmp/a"));
    }

    @Test
    void replacementWithSchemeRedirectsWithoutFlag() {
        assertEquals(new Redirect(302, "https://ext.test/p?q"), get("/ext/p?q"));
    }

    @Test
    void trailingQuestionMarkDropsTheArgs() {
        assertEquals(new Proxy("h5", "/h5/drop/a", List.of()), get("/drop/a?gone=1"));
    }

    @Test
    void argsOfTheReplacementComeFirstAndTheRequestArgsAreAppended() {
        assertEquals(new Proxy("h5", "/h5/add?from=a&keep=1", List.of()), get("/add/a?keep=1"));
        assertEquals(new Proxy("h5", "/h5/add?from=a", List.of()), get("/add/a"));
    }

    @Test
    void breakStaysInTheLocationAndPassesTheWholeNewUri() {
        assertEquals(new Proxy("api", "/inner/a/b?k=v", List.of()), get("/brk/a/b?k=v"));
    }

    @Test
    void withoutRewriteTheLocationPrefixIsReplacedByTheProxyPassUri() {
        assertEquals(new Proxy("api", "/v1/users?id=7", List.of()), get("/api/users?id=7"));
    }

    @Test
    void unchangedRequestGoesUpstreamExactlyAsReceived() {
        assertEquals(new Proxy("h5", "/h5//a/./b%7e?x=%41", List.of()), get("/h5//a/./b%7e?x=%41"));
    }

    @Test
    void rewrittenUriIsReEncoded() {
        assertEquals(new Proxy("h5", "/h5/page/a%20b", List.of()), get("/m/a%20b"));
    }

    @Test
    void theEleventhUriChangeIsAnInternalServerError() {
        assertEquals(500, ((Respond) get("/loop/x")).status());
        assertEquals("done /count/", ((Respond) get("/count/" + "x".repeat(10))).body());
        assertEquals(500, ((Respond) get("/count/" + "x".repeat(11))).status());
    }

    @Test
    void rewriteWithoutFlagGoesOnWithTheNextDirective() {
        assertEquals("/then/p?o=1", ((Respond) get("/seq/p?o=1")).body());
    }

    @Test
    void returnForms() {
        assertEquals(new Respond(410, "gone /ret/x\n", "text/plain"), get("/ret/x"));
        assertEquals(403, ((Respond) get("/err/x")).status());
        assertEquals(new Close(), get("/close/x"));
        assertEquals(new Redirect(302, "https://other.test/url/a?b"), get("/url/a?b"));
    }

    @Test
    void proxySetHeaderValuesAreExpandedAndEmptyMeansRemove() {
        RouteRequest r = RouteRequest.of(8080, "GET", "example.test", "/hdr/x")
                .withHeader("X-Forwarded-For", "10.0.0.1");
        assertEquals(List.of(new HeaderSet("X-Real-IP", "127.0.0.1"),
                new HeaderSet("X-Forwarded-For", "10.0.0.1, 127.0.0.1"),
                new HeaderSet("X-Empty", "")), ((Proxy) config.route(r)).headers());
    }

    @Test
    void absoluteRedirectsLeaveOutTheSchemesDefaultPort() {
        RouteRequest http80 = new RouteRequest(80, "10.0.0.5", "127.0.0.1", "http", "GET",
                "HTTP/1.1", "example.test", "/old/a", List.of());
        RouteRequest https443 = new RouteRequest(443, "10.0.0.5", "127.0.0.1", "https", "GET",
                "HTTP/1.1", "example.test", "/old/a", List.of());
        RouteRequest noHost = new RouteRequest(8080, "10.0.0.5", "127.0.0.1", "http", "GET",
                "HTTP/1.0", null, "/old/a", List.of());
        VhostConfig onAllPorts = Rules.load(dir, """
                server {
                    listen 80; listen 443; listen 8080;
                    rewrite ^/old/(.*)$ /new/$1 permanent;
                }
                """);
        assertEquals(new Redirect(301, "http://example.test/new/a"), onAllPorts.route(http80));
        assertEquals(new Redirect(301, "https://example.test/new/a"), onAllPorts.route(https443));
        assertEquals(new Redirect(301, "http://10.0.0.5:8080/new/a"), onAllPorts.route(noHost));
    }

    @Test
    void noLocationAtAllIsNotFound() {
        assertEquals(404, ((Respond) get("/nothing")).status());
    }
}
