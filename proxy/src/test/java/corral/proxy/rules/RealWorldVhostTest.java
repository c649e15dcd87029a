package corral.proxy.rules;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import corral.fixtures.FreePorts;
import corral.proxy.rules.NginxDifferentialTest.Case;
import corral.proxy.rules.RouteRequest.Header;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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
 * The real-world corpus ({@code src/test/resources/rules/real-world}, sources in its README):
 * vhosts of nginx in front of Node/PM2. Each file, alone, must load in Corral as {@code bin/control
 * check} loads it, and answer a request set as nginx 1.22 does with the same file: status,
 * Location, the app, the request target and the headers the instance gets.
 */
class RealWorldVhostTest {

    /** The headers such files set, lower-cased. */
    private static final Set<String> HEADERS = Set.of("host", "x-real-ip", "x-forwarded-for",
            "x-forwarded-proto", "upgrade", "connection", "x-nginx-proxy");
    private static final Pattern SERVER_NAME = Pattern.compile("server_name ([^;]+);");

    @RegisterExtension
    static final VhostCorpus corpus = new VhostCorpus("/rules/real-world");

    @TempDir
    Path dir;

    static Stream<String> files() throws IOException, URISyntaxException {
        return corpus.files();
    }

    @ParameterizedTest
    @MethodSource("files")
    void loadsAndAnswersAsNginxDoes(String name) throws Exception {
        int port = FreePorts.pick();
        String text = corpus.read(name, Map.of("PORT", port), dir);
        Path file = VhostCorpus.write(dir, name, text);
        VhostConfig corral = VhostLoader.load(file, EchoApps.NAMES, corpus.echoes().apps());
        boolean wholeConf = text.contains("\nhttp {");
        try (NginxOracle nginx = wholeConf ? NginxOracle.startMain(dir, file, List.of(port))
                : NginxOracle.start(dir, corpus.echoes().ports(), List.of(port))) {
            List<Case> cases = cases(port, text);
            List<String> mismatches = NginxDifferentialTest.mismatches(cases, corral, HEADERS);
            assertTrue(cases.size() >= 25, "only " + cases.size() + " requests");
            if (!mismatches.isEmpty()) {
                fail(name + ": " + mismatches.size() + " of " + cases.size() + " requests differ:\n"
                        + String.join("\n", mismatches.subList(0, Math.min(20, mismatches.size()))));
            }
        }
    }

    /** Each server name of the file (and one it does not name) with paths a Node app serves. */
    private static List<Case> cases(int port, String text) {
        List<String> hosts = new ArrayList<>(List.of("unknown.test", "127.0.0.1"));
        Matcher m = SERVER_NAME.matcher(text);
        while (m.find()) {
            for (String host : m.group(1).trim().split("\\s+")) {
                if (!host.equals("_")) {
                    hosts.add(host);
                }
            }
        }
        List<Header> client = List.of(new Header("X-Forwarded-For", "203.0.113.7"),
                new Header("X-Real-IP", "10.9.9.9"), new Header("User-Agent", "corpus/1"));
        List<Case> cases = new ArrayList<>();
        for (String host : hosts) {
            for (String path : List.of("/", "/a/b?c=d", "/api", "/api/users/7?x=1", "/apix",
                    "/socket.io/?EIO=4&transport=polling", "/robots.txt", "/x%20y", "//double",
                    "/h5/../z")) {
                cases.add(new Case(port, "GET", path, host, List.of(), "HTTP/1.1"));
            }
            cases.add(new Case(port, "POST", "/api/form", host, client, "HTTP/1.1"));
            cases.add(new Case(port, "GET", "/", host, client, "HTTP/1.1"));
        }
        cases.add(new Case(port, "GET", "/", null, List.of(), "HTTP/1.0"));
        return cases;
    }
}
