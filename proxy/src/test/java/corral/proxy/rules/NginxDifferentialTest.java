package corral.proxy.rules;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import corral.fixtures.FreePorts;
import corral.fixtures.RawHttp;
import corral.proxy.files.FileLookup;
import corral.proxy.rules.RouteDecision.Close;
import corral.proxy.rules.RouteDecision.HeaderSet;
import corral.proxy.rules.RouteDecision.Proxy;
import corral.proxy.rules.RouteDecision.Redirect;
import corral.proxy.rules.RouteDecision.Respond;
import corral.proxy.rules.RouteRequest.Header;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the same vhost corpus ({@code src/test/resources/rules/corpus}) in a real nginx and in
 * Corral, sends each request of a few hundred to nginx over a raw socket, and checks that
 * Corral decides the same thing: status, Location, upstream app, upstream request target and
 * the headers the rules set. Skipped where nginx is not installed.
 */
class NginxDifferentialTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Every header a proxy_set_header of the corpus names, lower-cased. */
    private static final Set<String> SET_HEADERS = Set.of("host", "x-real-ip", "x-forwarded-for",
            "x-from-http", "x-loc", "x-uid", "x-rest", "x-dup", "x-proxy-host", "x-set");

    @RegisterExtension
    static final NginxBeside started = new NginxBeside();

    @TempDir
    static Path dir;

    private static final Map<String, Integer> PORTS = new LinkedHashMap<>();
    /** The echo upstreams' ports by placeholder ({@code ECHO_NUOMI}): the apps' public ports. */
    private static final Map<String, Integer> ECHO_PORTS = new LinkedHashMap<>();
    private static NginxOracle nginx;
    private static VhostConfig corral;

    @BeforeAll
    static void startNginxAndLoadCorral() throws Exception {
        PORTS.putAll(FreePorts.named(List.of("PORT_A", "PORT_B", "PORT_C", "PORT_D", "PORT_E", "PORT_F")));
        EchoApps echoes = started.add(EchoApps.start());
        echoes.ports().forEach((app, port) -> ECHO_PORTS.put("ECHO_" + app.toUpperCase(Locale.ROOT), port));
        copyCorpus(dir);
        copyShippedRules(dir);
        corral = VhostLoader.load(dir, EchoApps.NAMES, echoes.apps());
        nginx = started.add(NginxOracle.start(dir, echoes.ports(), List.copyOf(PORTS.values())));
    }

    @Test
    void corralDecidesWhatNginxDoesForEveryRequestOfTheCorpus() throws IOException {
        List<Case> cases = cases();
        assertTrue(cases.size() >= 200, "the corpus has " + cases.size() + " requests");
        List<String> mismatches = mismatches(cases, corral, SET_HEADERS);
        if (!mismatches.isEmpty()) {
            fail(mismatches.size() + " of " + cases.size() + " requests differ:\n"
                    + String.join("\n", mismatches.subList(0, Math.min(60, mismatches.size()))));
        }
    }

    // ---- comparing ----

    /**
     * Sends each request to nginx and routes it in {@code corral}: the requests whose answers
     * differ, each with both answers and why ({@link #compare}).
     */
    static List<String> mismatches(List<Case> cases, VhostConfig corral, Set<String> headers)
            throws IOException {
        List<String> mismatches = new ArrayList<>();
        for (Case c : cases) {
            RawHttp.Response answer = RawHttp.send(c.port(), c.head());
            RouteDecision decision = corral.route(c.request());
            String why = compare(c, answer, decision, headers);
            if (why != null) {
                mismatches.add(c + "\n    nginx:  " + describe(answer) + "\n    corral: "
                        + describe(decision) + "\n    why:    " + why);
            }
        }
        return mismatches;
    }

    /**
     * Why nginx's answer and Corral's decision differ, or null when they agree; of the headers
     * the instance got, those named in {@code headers} (lower-case) are compared.
     */
    static String compare(Case c, RawHttp.Response answer, RouteDecision decision,
                          Set<String> headers) throws IOException {
        if (decision instanceof Close) {
            return !answer.answered() ? null : "nginx answered, Corral closes";
        }
        if (!answer.answered()) {
            return "nginx closed the connection";
        }
        if (decision instanceof Proxy p) {
            return compareProxy(c, answer, p, headers);
        }
        if (answer.has("X-Echo")) {
            return "nginx proxied";
        }
        if (decision instanceof RouteDecision.File f) {
            return compareFile(c, answer, f);
        }
        if (decision instanceof Redirect r) {
            if (answer.status() != r.status()) {
                return "status";
            }
            String location = answer.header("Location").orElse(null);
            return r.location().equals(location == null ? "" : location) ? null : "Location";
        }
        Respond r = (Respond) decision;
        if (answer.status() != r.status()) {
            return "status";
        }
        boolean text = r.contentType().equals("text/plain") && !c.method().equals("HEAD");
        return text && !answer.body().equals(r.body()) ? "body" : null;
    }

    /** A file: 200, its type and ETag, and (but for HEAD) its bytes. */
    private static String compareFile(Case c, RawHttp.Response answer, RouteDecision.File f) throws IOException {
        if (answer.status() != 200) {
            return "status";
        }
        if (!answer.header("Content-Type").orElse("").equals(f.file().contentType())) {
            return "Content-Type";
        }
        if (!answer.header("ETag").orElse("").equals(f.file().etag() ? f.file().etagValue() : "")) {
            return "ETag";
        }
        String bytes = new String(Files.readAllBytes(FileLookup.path(f.file().path())),
                StandardCharsets.ISO_8859_1);
        return c.method().equals("HEAD") || answer.body().equals(bytes) ? null : "body";
    }

    private static String compareProxy(Case c, RawHttp.Response answer, Proxy p,
                                       Set<String> headers) throws IOException {
        String echoed = answer.header("X-Echo").orElse(null);
        if (answer.status() != 200 || echoed == null) {
            return "nginx did not proxy";
        }
        JsonNode echo = JSON.readTree(Base64.getDecoder().decode(echoed));
        // An upstream over several apps: nginx's round robin picks the app per request, the
        // forwarder does the same at send time (UpstreamGroupDifferentialTest proves the order on
        // real traffic); a decision can only name the apps it may reach.
        String reached = echo.get("app").asText();
        if (p.group() != null ? !p.group().apps().contains(reached) : !reached.equals(p.app())) {
            return "app";
        }
        if (!echo.get("uri").asText().equals(p.uri())) {
            return "upstream URI " + echo.get("uri").asText();
        }
        Map<String, List<String>> received = new LinkedHashMap<>();
        for (JsonNode h : echo.get("headers")) {
            received.computeIfAbsent(h.get(0).asText().toLowerCase(Locale.ROOT),
                    k -> new ArrayList<>()).add(h.get(1).asText());
        }
        for (String name : headers) {
            if (name.equals("connection") && p.headers().stream()
                    .noneMatch(h -> h.name().equalsIgnoreCase(name))) {
                continue; // nginx's own "Connection: close" is the forwarder's (docs/vhost-rules.md)
            }
            List<String> expected = expectedHeader(c, p, name);
            List<String> got = received.getOrDefault(name, List.of());
            if (!expected.equals(got)) {
                return "header " + name + ": nginx sent " + got + ", Corral expects " + expected;
            }
        }
        return null;
    }

    /**
     * What the upstream should get for a header: the values the rules set (none when they set
     * it empty); else what the client sent; else, for Host, nginx's $proxy_host.
     */
    private static List<String> expectedHeader(Case c, Proxy p, String name) {
        List<String> set = p.headers().stream().filter(h -> h.name().equalsIgnoreCase(name))
                .map(HeaderSet::value).toList();
        if (!set.isEmpty()) {
            return set.stream().filter(v -> !v.isEmpty()).toList();
        }
        if (name.equals("host")) {
            return List.of(p.proxyHost());
        }
        if (name.equals("upgrade") && c.request().headers().stream().noneMatch(h -> h.name().equalsIgnoreCase("connection")
                && h.value().toLowerCase(Locale.ROOT).contains("upgrade"))) {
            return List.of(); // hop-by-hop without "Connection: upgrade": both forwarders drop it
        }
        return c.request().headers().stream().filter(h -> h.name().equalsIgnoreCase(name))
                .map(Header::value).toList();
    }

    static String describe(RouteDecision d) {
        if (d instanceof Respond r) {
            String body = r.body().length() > 80 ? r.body().substring(0, 80) + "..." : r.body();
            return r.status() + " " + r.contentType() + " body: " + body.replace("\r\n", " ");
        }
        return d.toString();
    }

    static String describe(RawHttp.Response r) throws IOException {
        if (!r.answered()) {
            return "closed";
        }
        String echoed = r.header("X-Echo").orElse(null);
        if (echoed != null) {
            return r.status() + " proxied " + new String(Base64.getDecoder().decode(echoed),
                    StandardCharsets.ISO_8859_1);
        }
        String location = r.header("Location").orElse(null);
        String body = r.body().length() > 80 ? r.body().substring(0, 80) + "..." : r.body();
        return r.status() + (location != null ? " Location: " + location : "") + " body: "
                + body.replace("\r\n", " ");
    }

    // ---- the requests ----

    /** One request: where it goes and the exact head written. */
    record Case(int port, String method, String target, String host, List<Header> extra,
                String protocol) {

        String head() {
            StringBuilder h = new StringBuilder(method + " " + target + " " + protocol + "\r\n");
            for (Header header : allHeaders()) {
                h.append(header.name()).append(": ").append(header.value()).append("\r\n");
            }
            return h.append("\r\n").toString();
        }

        List<Header> allHeaders() {
            List<Header> all = new ArrayList<>();
            if (host != null) {
                all.add(new Header("Host", host));
            }
            all.addAll(extra);
            if (method.equals("POST") || method.equals("PUT")) {
                all.add(new Header("Content-Length", "0"));
            }
            all.add(new Header("Connection", "close"));
            return all;
        }

        /** The request as a server's parser hands it over: header values trimmed. */
        RouteRequest request() {
            List<Header> parsed = allHeaders().stream()
                    .map(h -> new Header(h.name(), h.value().strip())).toList();
            return new RouteRequest(port, "127.0.0.1", "127.0.0.1", "http", method, protocol,
                    host == null ? null : host.strip(), target, parsed);
        }

        @Override
        public String toString() {
            String name = PORTS.entrySet().stream().filter(e -> e.getValue() == port)
                    .map(Map.Entry::getKey).findFirst().orElse("?");
            return method + " " + target + " " + protocol + " [" + name + ", Host: "
                    + (host == null ? "(none)" : host) + (extra.isEmpty() ? "" : ", " + extra)
                    + "]";
        }
    }

    private static final List<String> MAIN_PATHS = List.of(
            "/", "/ngx-ok", "/ngx-ok/", "/NGX-OK", "/nuomi/", "/nuomi/a/b?x=1&y=2", "/nuomi",
            "/h5/page/1", "/h5", "/h5/static/app.js", "/h5/static", "/h5/x.css", "/app.js",
            "/dir/app.JS", "/img/a.png?v=3", "/casei/x", "/CASEI/x", "/CaseI/y", "/api/users?id=7",
            "/api", "/api?x=1", "/api-v2", "/api-v2/z", "/exact", "/exact/", "/exact/x",
            "/brk/a/b?k=v", "/brk/a%20b", "/loop/x", "/count/123", "/count/1234567890",
            "/count/12345678901", "/chain/12/rest?q=1", "/ret/x", "/gone", "/gone/x?y",
            "/close", "/ret200", "/vars?a=1&b=2", "/vars?A=3", "/vars?xa=1&a=2", "/vars?a",
            "/vars", "/user/42/profile", "/user/42/pro%20file?z", "/user/abc/profile",
            "/empty-hdr/x", "/static/x", "/static/", "/encode/a%20b", "/encode/a+b",
            "/encode/%E4%B8%AD", "/encode/plain", "/encode/a%26b%3Dc", "/redirenc/a%20b",
            "/redirenc/a+b", "/redirenc/x?y=1", "/redirenc/%7Ex%2F", "/ret301", "/retrel",
            "/ret-scheme?z=1", "/inc/a", "/inc", "/inc-exact", "/q/123", "/q/12", "/q/1234",
            "/argsonly/x?k=1", "/argsonly/x",
            "/m/abc?x=1", "/m/", "/m/a%20b", "/m/a+b?x", "/old-nuomi/a?b=c", "/temp/z",
            "/ext/p?q", "/ext/a%20b", "/noargs/a?drop=1", "/withargs/a?keep=1", "/withargs/a",
            "/withargs/a%20b?k", "/redir-args/a?k=v", "/redir-args/a", "/srvbreak/a?z=1",
            "//nuomi//a", "/nuomi/./a", "/nuomi/a/../b", "/nuomi/../h5/x", "/../x",
            "/nuomi/%2e%2e/h5/y", "/nuomi/%2Fa", "/h5/a%3Fb?c=d", "/h5/a%23b", "/h5/%25",
            "/h5/%zz", "/h5/%", "/h5/%4", "/h5/%00", "/nuomi/a#frag", "/h5/a?b#c", "/h5/./",
            "/h5/.", "/h5/..", "/h5/a/..", "/x/..%2f..", "/%2e%2e/", "/nuomi/a%2Bb",
            "/nuomi/\u00e4\u00b8\u00ad", "/h5/%e4%b8%ad?q=%e4", "/nuomi/a;b", "/nuomi/a|b",
            "/nuomi/a{b}", "/h5/page?", "/nuomi/?", "/nuomi/a%2fb", "/api/a%2e%2e/b",
            "/api/x/%2E", "/nuomi/a.", "/nuomi/.hidden", "/nuomi/a..b", "/nuomi/...",
            "/brk/%41", "/user/7/a%2Fb", "/q/123%0A", "/q/123%0D", "/q/12%0A3", "/m/a%0Ab",
            "/casei/%0A", "/ext/%0D%0A");

    private static List<Case> cases() {
        int a = PORTS.get("PORT_A");
        int b = PORTS.get("PORT_B");
        int c = PORTS.get("PORT_C");
        int d = PORTS.get("PORT_D");
        List<Case> cases = new ArrayList<>();
        for (String path : MAIN_PATHS) {
            cases.add(get(a, path, "main.test"));
        }
        for (String method : List.of("HEAD", "POST", "PUT", "DELETE", "OPTIONS", "PATCH",
                "TRACE", "FOO", "get")) {
            for (String path : List.of("/nuomi/x", "/static/x", "/static/", "/nomatch",
                    "/ngx-ok")) {
                cases.add(new Case(a, method, path, "main.test", List.of(), "HTTP/1.1"));
            }
        }
        for (String host : List.of("WWW.MAIN.TEST", "main.test:8080", "main.test.",
                "unknown.test", "x.wild.test", "a.b.wild.test", "q.deep.wild.test",
                "deep.wild.test", "wild.test", ".wild.test", "www.tail.com", "www.tail.co.uk",
                "www.tail", "dot.test", "x.dot.test", "DOT.TEST:99", "abc.re.test",
                "api12.re.test", "exact.re.test", "CASE.test", "case.test", "[::1]:80",
                "127.0.0.1", "a..b", "a/b", "", " main.test", "main.test\\x", "-x-")) {
            for (String path : List.of("/nuomi/p?q=1", "/xxx", "/", "/m/z")) {
                cases.add(get(a, path, host));
            }
        }
        for (String target : List.of("http://main.test/nuomi/x", "http://x.wild.test:99/a?b",
                "http://main.test", "http://main.test?x=1", "HTTP://MAIN.TEST/h5/a",
                "ftp://main.test/api", "http://ma_in/x", "http://[::1]/nuomi/", "http:///x",
                "http://main.test/m/abc", "http://main.test/vars?a=b", "http://main.test:/api",
                "http://main.test.:8/vars", "h://dot.test?q", "http://main.test/%2e%2e/x",
                "1http://main.test/x", "http:/main.test/x", "http://main.test/api")) {
            cases.add(get(a, target, "other.test"));
        }
        cases.add(get(a, "http://main.test/nuomi/y", "in valid"));
        cases.add(new Case(a, "GET", "/nuomi/x", null, List.of(), "HTTP/1.0"));
        cases.add(new Case(a, "GET", "/vars", null, List.of(), "HTTP/1.0"));
        cases.add(new Case(a, "GET", "/api", null, List.of(), "HTTP/1.0"));
        cases.add(new Case(a, "GET", "/nuomi/x", null, List.of(), "HTTP/1.1"));
        List<Header> clientHeaders = List.of(new Header("User-Agent", "diff/1.0"),
                new Header("X-Forwarded-For", "10.0.0.1"), new Header("X-Real-IP", "10.9.9.9"),
                new Header("X-Uid", "client"), new Header("X_Dup", "underscore"),
                new Header("x-forwarded-for", "10.0.0.2"));
        for (String path : List.of("/nuomi/h", "/vars", "/empty-hdr/x", "/user/1/x",
                "/casei/q", "/inc/z", "/h5/static/s")) {
            cases.add(new Case(a, "GET", path, "main.test", clientHeaders, "HTTP/1.1"));
        }
        for (String host : List.of("first.b", "second.b", "nobody.b", "FIRST.B:1")) {
            for (String path : List.of("/", "/p/q?r=s", "/a%20b")) {
                cases.add(get(b, path, host));
            }
        }
        cases.add(new Case(a, "OPTIONS", "*", "main.test", List.of(), "HTTP/1.1"));
        for (String host : List.of("c.test", "other.c", "break.c", "last.c", "nobody.c",
                "break2.c")) {
            for (String path : List.of("/", "/a/b?x=1", "/nowhere/x", "/a%20b")) {
                cases.add(get(c, path, host));
            }
        }
        List<Header> edgeHeaders = List.of(new Header("X-Custom-Thing", "custom"),
                new Header("Cookie", "a=1"), new Header("cookie", "b=2"));
        for (String path : EDGE_PATHS) {
            cases.add(get(d, path, "edge.test"));
        }
        cases.add(new Case(d, "GET", "/hdr/x?q=1&q=2", "edge.test", edgeHeaders, "HTTP/1.1"));
        cases.add(new Case(d, "GET", "/hdr/x", "edge.test", edgeHeaders, "HTTP/1.1"));
        for (String cookie : List.of("sid=42; a=x", " SID = 7 ;a=1, bb=3", "a=1, sid=9", "sidx=1; sid=")) {
            cases.add(new Case(d, "GET", "/cookie/c", "edge.test", List.of(new Header("Cookie", cookie)), "HTTP/1.1"));
        }
        cases.add(new Case(d, "GET", "/r307/x", null, List.of(), "HTTP/1.0"));
        int e = PORTS.get("PORT_E");
        for (String path : List.of("/", "/ngx-ok", "/ngx-ok?x", "/nuomi/a?b=c", "/nuomi",
                "/component/card.js", "/static/component/x.css", "/static/other.css", "/h5/",
                "/h5/index?a=1", "/h5", "/m/shop/42?from=sms", "/m/a%20b", "/m", "/elsewhere",
                "//h5//x", "/h5/../nuomi/x")) {
            cases.add(get(e, path, "www.example.com"));
        }
        cases.add(new Case(e, "POST", "/h5/form", "www.example.com",
                List.of(new Header("X-Forwarded-For", "1.2.3.4")), "HTTP/1.1"));
        int f = PORTS.get("PORT_F");
        for (String path : UPSTREAM_PATHS) {
            cases.add(get(f, path, "up.test"));
        }
        // client_max_body_size: only a head is sent, so only lengths nginx answers before it
        // reads the body: over the limit (413), or to a location that answers with return
        for (String[] sized : List.of(new String[] {"/a/x", "1025"}, new String[] {"/small/x", "101"},
                new String[] {"/small/x", "100"}, new String[] {"/small-dir", "11"},
                new String[] {"/small-dir/x", "11"})) {
            cases.add(new Case(f, "GET", sized[0], "up.test",
                    List.of(new Header("Content-Length", sized[1])), "HTTP/1.1"));
        }
        return cases;
    }

    private static final List<String> EDGE_PATHS = List.of(
            "/s1/a?b=c", "/s2/z", "/cap/ab/cd", "/cap/ab/c%20d", "/keep/k1", "/CI/Word-123",
            "/ci/word-1", "/ci/w0rd-12", "/named/abc/42?x=y", "/named/ABC/42", "/seq/p?o=1",
            "/seq/p", "/noslash/zz", "/empty/", "/empty/x", "/rootargs/r?z=9", "/?q",
            "/pre/x", "/pre/longer/x", "/pre/longer/re", "/pre/re", "/rv/a%20b?c=d",
            "/rv/a+b", "/rq/x%2Fy?z=1", "/rq/%C3%A9", "/rq/a&b", "/rs/a%20b?c=d", "/rs/", "/r307/x?y",
            "/r308/q", "/bodyvars/%41", "/pp/old/a?b=c", "/pp/new/x", "/pp/a%20b", "/pp",
            "/ppre/a%20b?k=v", "/ppre/plain", "/dots/a/../b", "/dots/", "/dots", "/exactpp",
            "/exactpp?a=b", "/noargs-last/x?gone=1", "/ten/aaaaaaaaaa", "/ten/aaaaaaaaaaa",
            "/ten/aaaaaaaaaaaa", "/hdr/x?q=1", "/h5/%3f?%3f", "/h5/a+b%2B?c+d", "/goapi",
            "/goapi?x=1", "/sp%20ace", "/sp%20ace/x", "/qm/a%3Fb?c", "/qm/a%23b",
            "/%E4%B8%AD%E6%96%87/x", "/\u00e4\u00b8\u00ad\u00e6\u0096\u0087/y%20z",
            "/caps/%C3%A9", "/CAPS/%C3%A9", "/CAPS/%C3%89", "/set/x?a=1", "/set/", "/setcap/w1",
            "/setcap/w1?k=v", "/setret/z?q", "/cookie/c");

    /** Port F: upstream blocks and proxy_pass to 127.0.0.1:PORT, localhost:PORT, app names. */
    private static final List<String> UPSTREAM_PATHS = List.of(
            "/", "/a/b?c=d", "/direct/x?y=1", "/direct", "/direct-uri/x/y", "/direct-uri/a%20b",
            "/local/z", "/named-uri/q?r", "/named-uri/a%20b", "/case/c", "/later/l?m=n",
            "/later", "/app/p", "/hostvar/h", "/data/x.json", "/data/x.json?v=2",
            "/sethost/s", "/rw/abc?k=v", "/big/b", "/small/s", "/small-dir", "/small-dir/d");

    private static Case get(int port, String target, String host) {
        return new Case(port, "GET", target, host, List.of(), "HTTP/1.1");
    }

    // ---- setup ----

    /** The shipped conf/vhost rules join the corpus, on port E instead of 8080. */
    private static void copyShippedRules(Path to) throws IOException {
        try (Stream<Path> files = Files.list(ShippedRulesTest.SHIPPED)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".conf")).toList()) {
                String text = Files.readString(f, StandardCharsets.ISO_8859_1)
                        .replaceAll("listen\\s+8080\\b", "listen 127.0.0.1:" + PORTS.get("PORT_E"));
                Files.writeString(to.resolve("90-shipped-" + f.getFileName()), text,
                        StandardCharsets.ISO_8859_1);
            }
        }
    }

    /** Copies the corpus into {@code to}, filling in the ports. */
    private static void copyCorpus(Path to) throws IOException, URISyntaxException {
        Path from = Path.of(NginxDifferentialTest.class.getResource("/rules/corpus").toURI());
        try (Stream<Path> files = Files.walk(from)) {
            for (Path f : files.filter(Files::isRegularFile).collect(Collectors.toList())) {
                Path target = to.resolve(from.relativize(f).toString());
                Files.createDirectories(target.getParent());
                String text = Files.readString(f, StandardCharsets.ISO_8859_1);
                Map<String, Integer> placeholders = new LinkedHashMap<>(PORTS);
                placeholders.putAll(ECHO_PORTS);
                for (Map.Entry<String, Integer> port : placeholders.entrySet()) {
                    text = text.replace("@" + port.getKey() + "@", port.getValue().toString());
                }
                Files.writeString(target, text, StandardCharsets.ISO_8859_1);
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }
}
