package corral.proxy.rules;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import corral.fixtures.FreePorts;
import corral.proxy.rules.NginxDifferentialTest.Case;
import corral.proxy.rules.RouteRequest.Header;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code map} and {@code if} against real nginx 1.22: the corpus
 * {@code src/test/resources/rules/map-if} (its surprises included: lazy and cached map values,
 * "" keys, regexes skipped on empty values, an {@code if} that is no branch, the last true
 * {@code if}'s configuration winning, proxy_pass and rewrite ... break inside {@code if}) runs in
 * nginx and in Corral, and each request's status, body or Location, and the request the
 * upstream sees (app, URI, the headers the rules set) must agree. Skipped without nginx.
 */
class MapIfDifferentialTest {

    private static final Set<String> SET_HEADERS = Set.of("host", "x-loc", "x-map", "x-conn");

    @RegisterExtension
    static final NginxBeside started = new NginxBeside();

    @TempDir
    static Path dir;

    private static int port;
    private static NginxOracle nginx;
    private static VhostConfig corral;

    @BeforeAll
    static void startNginxAndLoadCorral() throws Exception {
        port = FreePorts.pick();
        EchoApps echoes = started.add(EchoApps.start());
        copyCorpus();
        corral = VhostLoader.load(dir, EchoApps.NAMES, echoes.apps());
        nginx = started.add(NginxOracle.start(dir, echoes.ports(), List.of(port)));
    }

    @Test
    void corralAnswersMapAndIfAsNginxDoes() throws IOException {
        List<Case> cases = cases();
        assertTrue(cases.size() >= 100, "the corpus has " + cases.size() + " requests");
        List<String> mismatches = NginxDifferentialTest.mismatches(cases, corral, SET_HEADERS);
        if (!mismatches.isEmpty()) {
            fail(mismatches.size() + " of " + cases.size() + " requests differ:\n"
                    + String.join("\n", mismatches));
        }
    }

    private static List<Case> cases() {
        List<Case> cases = new ArrayList<>();
        for (String query : List.of("", "?p=exact", "?p=EXACT", "?p=mixed", "?p=MIXED",
                "?p=~tilde", "?p=%7Etilde", "?p=default", "?p=re-abc-42", "?p=re-abc-x",
                "?p=re-ABC-42", "?p=ci-Zed", "?p=CI-zed", "?p=order", "?p=ordinary",
                "?p=order-exact", "?p=ORDER-EXACT", "?p=orbit", "?p=dollar-x%20y",
                "?p=from-include", "?p=", "?e=", "?e=1", "?n=x", "?n=X", "?n=y", "?a=1&b=2",
                "?a=10&b=20", "?a=x&b=2", "?a=1", "?h=*.x", "?h=a.x", "?p=exact&a=3&b=4")) {
            cases.add(get("/map/x" + query, "mapif.test"));
            cases.add(get("/mapre/x" + query, "mapif.test"));
        }
        for (String host : List.of("mapif.test", "MAPIF.TEST", "mapif.test.", "a.w.mapif.test",
                "x.b.w.mapif.test", "b.w.mapif.test", "w.mapif.test", "dot.mapif.test",
                "x.dot.mapif.test", "www.mapif.com", "www.mapif.co.uk", "www.mapif",
                "abc.re.mapif.test", "ab1.re.mapif.test", "elsewhere.test", "certbot.mapif.test",
                "CERTBOT.mapif.test:81")) {
            cases.add(get("/map/h", host));
            cases.add(get("/maphost/h", host));
            cases.add(get("/", host));
        }
        for (String target : List.of("/mapcap/x?a=7&b=8", "/mapcap/x?a=1&b=2", "/mapcap/x",
                "/lazy/x?k=z", "/lazy/x?k=a", "/lazy2/y?k=z", "/lazy-after/z", "/vol/x?v=1",
                "/vol-after/q", "/setmap/s?p=exact", "/ws/a?p=re-xy-1", "/ws/b",
                "/if/truthy", "/if/truthy?t=1", "/if/truthy?t=0", "/if/truthy?t=00",
                "/if/truthy?t=", "/if/truthy?t=false", "/if/eq", "/if/eq?a=x+y", "/if/eq?a=x%20y",
                "/if/eq?a=q&b=q", "/if/eq?a=q&b=r", "/if/eq?b=r", "/if/re?q=ab-12",
                "/if/re?q=upper", "/if/re?q=UPPER", "/if/re?q=zed", "/if/re?q=ab-", "/if/re",
                "/if/neg?q=ABCd", "/if/neg?q=xabc", "/if/neg",
                "/if/keep?q=abc&r=r", "/if/keep?q=abc", "/if/keep?q=a-b&r=r", "/if/keep?r=r",
                "/if/cookie", "/pif/a?to=h5", "/pif/a", "/pif/a%20b?to=h5", "/pif/a?to=api",
                "/pif2/a?x=q1", "/pif2/a%20b?x=q1", "/pif2/a?x=-", "/pif2/a",
                "/two/t", "/two/t?a=1", "/two/t?a=1&b=1", "/two/t?b=1", "/after/x",
                "/after/x?a=1", "/brk-if/x", "/brk-if/x?a=1", "/rwb/x?a=1", "/rwb/x",
                "/rwb/a%20b?a=1", "/rwl/p?a=1&p=exact", "/rwl/p", "/only-if/o",
                "/rx/abc?m=1", "/rx/abc/def", "/rx/abc", "/rx/abc/def?m=1", "/srv-target/x",
                "/nowhere")) {
            cases.add(get(target, "mapif.test"));
        }
        List<List<Header>> headerSets = List.of(
                List.of(new Header("Upgrade", "websocket")),
                List.of(new Header("X-Block", "1")),
                List.of(new Header("X-Block", "0")),
                List.of(new Header("X-Srv", "go-there")),
                List.of(new Header("X-Srv", "go-")),
                List.of(new Header("X-Spaced", "a b")),
                List.of(new Header("X-Go", "yes")),
                List.of(new Header("Cookie", "sid=123")),
                List.of(new Header("Cookie", "sid=12a")),
                List.of(new Header("User-Agent", "Googlebot/2.1")),
                List.of(new Header("User-Agent", "curl/8")));
        for (List<Header> headers : headerSets) {
            for (String target : List.of("/map/hd", "/ws/hd", "/if/cookie", "/only-if/o")) {
                cases.add(new Case(port, "GET", target, "mapif.test", headers, "HTTP/1.1"));
            }
        }
        for (String method : List.of("DELETE", "POST", "HEAD")) {
            cases.add(new Case(port, method, "/map/m", "mapif.test", List.of(), "HTTP/1.1"));
        }
        return cases;
    }

    private static Case get(String target, String host) {
        return new Case(port, "GET", target, host, List.of(), "HTTP/1.1");
    }

    /** Copies the corpus into the temporary directory, filling in the port. */
    private static void copyCorpus() throws IOException, URISyntaxException {
        Path from = Path.of(MapIfDifferentialTest.class.getResource("/rules/map-if").toURI());
        try (Stream<Path> files = Files.list(from)) {
            for (Path f : files.toList()) {
                String text = Files.readString(f, StandardCharsets.ISO_8859_1)
                        .replace("@PORT_M@", String.valueOf(port));
                Files.writeString(dir.resolve(f.getFileName().toString()), text,
                        StandardCharsets.ISO_8859_1);
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }
}
