package corral.proxy.rules;

import static org.junit.jupiter.api.Assertions.fail;

import corral.fixtures.FreePorts;
import corral.fixtures.RawHttp;
import corral.proxy.rules.NginxDifferentialTest.Case;
import corral.proxy.rules.RouteRequest.Header;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The public-vhost corpus ({@code src/test/resources/rules/public-vhosts}, sources in its
 * README): vhosts taken from public repositories of Node apps behind nginx. Each file, alone, is
 * one test case: it must load in Corral as {@code bin/control check} loads it (the failure lists
 * check's errors), and answer a request set derived from its locations as nginx 1.22 does with
 * the same file: status, Location, the app, the upstream request target and the headers it sets.
 */
class RealWorldCorpusTest {

    private static final Pattern SERVER_NAME = Pattern.compile("server_name\\s+([^;]+);");
    private static final Pattern LOCATION = Pattern.compile("location\\s+(=|\\^~)?\\s*(/[^\\s{]*)\\s*\\{");
    private static final Pattern SET_HEADER = Pattern.compile("proxy_set_header\\s+([A-Za-z0-9_-]+)");
    private static final Pattern WHOLE_CONF = Pattern.compile("(?m)^\\s*http\\s*\\{");

    @RegisterExtension
    static final VhostCorpus corpus = new VhostCorpus("/rules/public-vhosts");

    @TempDir
    Path dir;

    static Stream<String> files() throws IOException, URISyntaxException {
        return corpus.files();
    }

    @ParameterizedTest
    @MethodSource("files")
    void loadsAndAnswersAsNginxDoes(String name) throws Exception {
        Map<String, Integer> ports = FreePorts.named(List.of("PORT", "PORT2", "TLS", "TLS2"));
        String text = corpus.read(name, ports, dir);
        copyTree(corpus.path().resolve("support"), dir.resolve("support"));
        copyTree(corpus.path().resolve("files"), dir);
        Path file = VhostCorpus.write(dir, name, text);
        VhostConfig corral;
        List<String> declared = refused().get(name);
        try {
            corral = VhostLoader.load(file, EchoApps.NAMES, corpus.echoes().apps());
        } catch (RulesException e) {
            List<String> problems = e.problems().stream().map(Object::toString).toList();
            if (declared == null) {
                fail(name + ": bin/control check refuses it:\n  " + String.join("\n  ", problems));
            }
            assertRefusedAsDeclared(name, declared, problems);
            return;
        }
        if (declared != null) {
            fail(name + " now loads: take its line out of public-vhosts/REFUSED (it was refused for " + declared + ")");
        }
        List<Integer> listening = new ArrayList<>();
        for (int port : ports.values()) {
            if (text.contains(":" + port)) {
                listening.add(port);
            }
        }
        boolean tls = text.contains(":" + ports.get("TLS") + " ssl");
        try (NginxOracle nginx = WHOLE_CONF.matcher(text).find()
                ? NginxOracle.startMain(dir, file, listening)
                : NginxOracle.startDebianTypes(dir, corpus.echoes().ports(), listening)) {
            Set<String> headers = headers(text);
            List<String> mismatches = new ArrayList<>();
            int count = 0;
            for (Case c : cases(ports.get("PORT"), text)) {
                count++;
                check(corral, c, RawHttp.send(c.port(), c.head()), c.request(), headers, mismatches);
            }
            if (tls) {
                for (Case c : cases(ports.get("TLS"), text)) {
                    count++;
                    RouteRequest r = c.request();
                    RouteRequest https = new RouteRequest(r.listenPort(), r.localAddr(), r.remoteAddr(),
                            "https", r.method(), r.protocol(), r.host(), r.rawUri(), r.headers());
                    check(corral, c, RawHttp.sendTls(c.port(), c.head()), https, headers, mismatches);
                }
            }
            if (!mismatches.isEmpty()) {
                fail(name + ": " + mismatches.size() + " of " + count + " requests differ:\n"
                        + String.join("\n", mismatches.subList(0, Math.min(20, mismatches.size()))));
            }
        }
    }

    /** The support files, and the files the roots and aliases serve (public-vhosts/files). */
    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> all = Files.walk(from)) {
            for (Path f : all.toList()) {
                Path target = to.resolve(from.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(f, target);
                }
            }
        }
    }

    private static void check(VhostConfig corral, Case c, RawHttp.Response answer, RouteRequest request,
                              Set<String> headers, List<String> mismatches) throws IOException {
        RouteDecision decision = corral.route(request);
        String why = NginxDifferentialTest.compare(c, answer, decision, headers);
        if (why != null) {
            mismatches.add(c + " " + request.scheme() + "\n    nginx:  " + NginxDifferentialTest.describe(answer)
                    + "\n    corral: " + NginxDifferentialTest.describe(decision) + "\n    why:    " + why);
        }
    }

    /** The headers the file sets (and Debian's proxy_params), lower-cased. */
    private static Set<String> headers(String text) {
        Set<String> names = new LinkedHashSet<>(List.of("host", "x-real-ip", "x-forwarded-for",
                "x-forwarded-proto", "upgrade", "connection"));
        Matcher m = SET_HEADER.matcher(text);
        while (m.find()) {
            names.add(m.group(1).toLowerCase(Locale.ROOT));
        }
        return names;
    }

    /**
     * Every non-regex server name (and one the file does not name, and none) with each
     * location's path, the path plus a segment, the bare prefix, a miss and the root; methods;
     * a WebSocket upgrade when the file passes {@code $http_upgrade}.
     */
    static List<Case> cases(int port, String text) {
        Set<String> hosts = new LinkedHashSet<>(List.of("unknown.test", "127.0.0.1"));
        Matcher m = SERVER_NAME.matcher(text);
        while (m.find()) {
            for (String host : m.group(1).trim().split("\\s+")) {
                if (!host.equals("_") && !host.startsWith("~")) {
                    hosts.add(host);
                    hosts.add(host.toUpperCase(Locale.ROOT) + ":" + port);
                }
            }
        }
        Set<String> paths = new LinkedHashSet<>(List.of("/", "/corral-miss/x?y=1", "/x%20y",
                "//double/slash", "/a/../b"));
        Matcher l = LOCATION.matcher(text);
        while (l.find()) {
            String path = l.group(2);
            paths.add(path);
            if (!"=".equals(l.group(1))) {
                paths.add(path + (path.endsWith("/") ? "" : "/") + "sub/p?q=1");
                paths.add(path.endsWith("/") && path.length() > 1 ? path.substring(0, path.length() - 1) : path + "x");
            }
        }
        List<Header> client = List.of(new Header("X-Forwarded-For", "203.0.113.7"),
                new Header("X-Real-IP", "10.9.9.9"), new Header("User-Agent", "corpus/1"));
        List<Header> upgrade = List.of(new Header("Upgrade", "websocket"),
                new Header("Sec-WebSocket-Version", "13"), new Header("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ=="));
        boolean websocket = text.contains("$http_upgrade");
        List<Case> cases = new ArrayList<>();
        for (String host : hosts) {
            for (String path : paths) {
                cases.add(new Case(port, "GET", path, host, List.of(), "HTTP/1.1"));
            }
            cases.add(new Case(port, "POST", "/api/form", host, client, "HTTP/1.1"));
            cases.add(new Case(port, "HEAD", "/", host, client, "HTTP/1.1"));
            cases.add(new Case(port, "DELETE", "/corral-miss", host, List.of(), "HTTP/1.1"));
            if (websocket) {
                for (String path : paths) {
                    cases.add(new Case(port, "GET", path, host, upgrade, "HTTP/1.1"));
                }
            }
        }
        cases.add(new Case(port, "GET", "/", null, List.of(), "HTTP/1.0"));
        return cases;
    }

    /**
     * The files Corral still refuses, each with the directives (or listen parameters) it refuses
     * them for ({@code public-vhosts/REFUSED}): a declared file must be refused for exactly those,
     * and one that starts to load must leave the list, so the list is always what is true.
     */
    private static Map<String, List<String>> refused() throws IOException, URISyntaxException {
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (String line : Files.readAllLines(corpus.path().resolve("REFUSED"))) {
            String content = line.replaceFirst("#.*", "").strip();
            if (!content.isEmpty()) {
                List<String> words = List.of(content.split("\\s+"));
                out.put(words.get(0), words.subList(1, words.size()));
            }
        }
        return out;
    }

    private static void assertRefusedAsDeclared(String name, List<String> declared, List<String> problems) {
        List<String> wrong = new ArrayList<>();
        for (String problem : problems) {
            if (declared.stream().noneMatch(d -> names(problem, d))) {
                wrong.add("refused for a reason REFUSED does not declare: " + problem);
            }
        }
        for (String d : declared) {
            if (problems.stream().noneMatch(p -> names(p, d))) {
                wrong.add("declared refused for \"" + d + "\", which check no longer refuses");
            }
        }
        if (!wrong.isEmpty()) {
            fail(name + ":\n  " + String.join("\n  ", wrong));
        }
    }

    /** The problem names {@code what} in quotes, alone or as the first word ("gzip on"). */
    private static boolean names(String problem, String what) {
        return problem.contains("\"" + what + "\"") || problem.contains("\"" + what + " ");
    }
}
