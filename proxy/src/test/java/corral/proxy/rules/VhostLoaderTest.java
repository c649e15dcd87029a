package corral.proxy.rules;

import static corral.proxy.rules.Rules.problems;
import static corral.proxy.rules.Rules.server;
import static corral.proxy.rules.Rules.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import corral.proxy.rules.RouteDecision.Proxy;
import corral.proxy.rules.RouteDecision.Respond;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loading: what is accepted, and that every problem names its file and line. */
class VhostLoaderTest {

    @TempDir
    Path dir;

    private RuleProblem only(RulesException e) {
        assertEquals(1, e.problems().size(), e.getMessage());
        return e.problems().get(0);
    }

    private void assertProblem(String conf, int line, String messagePart) {
        RuleProblem p = only(problems(dir, conf));
        assertEquals(dir.resolve("test.conf"), p.file(), p.toString());
        assertEquals(line, p.line(), p.toString());
        assertTrue(p.message().contains(messagePart), p.toString());
        assertTrue(p.toString().startsWith(p.file() + ":" + line + ": "), p.toString());
    }

    @Test
    void unknownDirectiveIsAnErrorThatListsWhatIsSupported() {
        assertProblem(server("    ssi on;"), 4,
                "unknown directive \"ssi\" (Corral supports: server, listen, server_name,"
                        + " location, rewrite, return, set, break, if, map, proxy_pass, proxy_set_header, upstream,"
                        + " include, log_format, access_log, stub_status, root, alias, index, try_files, types, and the proxy"
                        + " and client settings of"
                        + " docs/vhost-rules.md)");
    }

    @Test
    void unsupportedDirectivesSayWhatToWriteInstead() {
        assertProblem(server("    proxy_cache one;"), 4, "; Corral caches nothing");
        assertProblem(server("    ssl_verify_client on;"), 4,
                ": Corral does not verify client certificates (terminate mutual TLS in front)");
        assertProblem(server("    location / { gzip_static on; }"), 4,
                "; Corral serves no precompressed .gz files");
    }

    @Test
    void directiveInTheWrongBlockIsAnError() {
        assertProblem(server("    proxy_pass http://h5;"), 4,
                "\"proxy_pass\" directive is not allowed here (only inside location)");
        assertProblem("listen 8080;\n", 1, "\"listen\" directive is not allowed here");
    }

    @Test
    void missingSemicolonIsReportedOnTheDirectiveLine() {
        assertProblem(server("    location / {\n        proxy_pass http://h5\n    }"), 5,
                "missing its \";\"");
        assertProblem(server("    rewrite ^/a /b last\n    return 200;"), 4,
                "missing \";\" at the end of line 4?");
    }

    @Test
    void missingClosingBraceIsReportedWithTheBlockThatIsOpen() {
        assertProblem("server {\n    listen 8080;\n    location / {\n", 4,
                "the \"location\" block opened on line 3 is never closed");
    }

    @Test
    void strayClosingBraceIsAnError() {
        assertProblem(server("") + "}\n", 6, "unexpected \"}\"");
    }

    @Test
    void unclosedQuoteIsAnError() {
        assertProblem(server("    return 200 \"never closed;\n"), 4, "never closed");
    }

    @Test
    void proxyPassToAnUnknownAppNamesTheAppAndTheKnownOnes() {
        assertProblem(server("    location / { proxy_pass http://static; }"), 4,
                "proxy_pass names \"static\", which is no upstream and no app of pm2.json"
                        + " (apps: api, h5, nuomi; upstreams: none)");
    }

    @Test
    void proxyPassToAnAddressThatIsNoAppsPortIsAnError() {
        assertProblem(server("    location / { proxy_pass http://127.0.0.1:8197; }"), 4,
                "proxy_pass \"127.0.0.1:8197\" cannot be forwarded: port 8197 is no app's public"
                        + " port (no app of pm2.json has a PORT)");
        assertProblem(server("    location / { proxy_pass https://h5; }"), 4,
                "http://<upstream, app name or 127.0.0.1:app port>[/uri]");
    }

    @Test
    void badRegexGivesTheReasonOfTheRegexEngine() {
        assertProblem(server("    rewrite ^/(a /b;"), 4, "invalid regex \"^/(a\": Unclosed group");
        assertProblem(server("    location ~ ^/x(?<n-m>) { }"), 4, "invalid subpattern name");
    }

    @Test
    void unknownVariableIsAnError() {
        assertProblem(server("    return 200 $nosuchthing;"), 4,
                "unknown variable \"$nosuchthing\"");
        assertProblem(server("    return 200 \"${uri\";"), 4, "closing bracket");
    }

    @Test
    void namedCaptureIsAVariableEvenWhenDefinedLater() {
        VhostConfig c = Rules.load(dir, server("    location /a { return 200 $later; }\n"
                + "    location ~ ^/b/(?<later>.*)$ { return 200 $later; }"));
        assertEquals("x", ((Respond) Rules.get(c, "/b/x")).body());
        assertEquals("", ((Respond) Rules.get(c, "/a")).body());
    }

    @Test
    void regexLocationCannotHaveAProxyPassUri() {
        assertProblem(server("    location ~ ^/x { proxy_pass http://h5/y; }"), 4,
                "cannot have URI part in location given by regular expression");
    }

    @Test
    void nestedLocationsAreRejected() {
        assertProblem(server("    location /a/ {\n        location /a/b/ { }\n    }"), 5,
                "nested locations are not supported");
    }

    @Test
    void duplicatesAreErrors() {
        assertProblem(server("    location /a { }\n    location /a { }"), 5,
                "duplicate location \"/a\" (first at line 4)");
        assertProblem(server("    location /a { proxy_pass http://h5; proxy_pass http://h5; }"), 4,
                "\"proxy_pass\" directive is duplicate");
        assertProblem(server("    listen 8080;"), 4, "duplicate listen *:8080");
    }

    @Test
    void returnAndRewriteArgumentsAreChecked() {
        assertProblem(server("    return abc;"), 4, "invalid return code \"abc\"");
        assertProblem(server("    return 1000;"), 4, "invalid return code");
        assertProblem(server("    rewrite ^ /x final;"), 4, "invalid rewrite flag \"final\"");
        assertProblem(server("    rewrite ^ \"\";"), 4, "empty replacement");
    }

    @Test
    void serverWithoutListenIsAnError() {
        assertProblem("server {\n    server_name a;\n}\n", 1, "server has no \"listen\"");
    }

    @Test
    void unsupportedListenParametersAreErrors() {
        assertProblem("server {\n    listen 8443 ssl;\n}\n", 2,
                "no \"ssl_certificate\" is defined for the \"listen ... ssl\" directive");
        assertProblem("server {\n    listen 8080 proxy_protocol;\n}\n", 2,
                "listen parameter \"proxy_protocol\" is not supported by Corral (only default_server, ssl"
                        + " and http2; socket options such as deferred, backlog= or reuseport are accepted"
                        + " with a notice)");
        assertProblem("server {\n    listen unix:/tmp/s;\n}\n", 2, "invalid listen address");
    }

    @Test
    void socketOptionsOfListenAreAcceptedWithANotice() {
        VhostConfig rules = Rules.load(dir, "server {\n    listen 8080 default_server deferred backlog=511"
                + " reuseport so_keepalive=on;\n    return 204;\n}\n");
        List<String> notices = rules.notices().stream().map(RuleProblem::toString).toList();
        assertEquals(4, notices.size(), notices.toString());
        assertTrue(notices.get(0).contains(":2: listen parameter \"deferred\" is accepted, not applied:"
                + " Corral accepts at once"), notices.toString());
        assertTrue(notices.get(1).contains("\"backlog=511\""), notices.toString());
    }

    @Test
    void twoDefaultServersOnAPortAreAnError() {
        assertProblem("server { listen 8080 default_server; }\n"
                + "server { listen 8080 default_server; }\n", 2, "a duplicate default server");
    }

    @Test
    void aNameClaimedByTwoServersOfAPortIsAnError() {
        assertProblem("server { listen 8080; server_name a.test; }\n"
                + "server { listen 8080; server_name A.test; }\n", 2,
                "conflicting server name \"a.test\" on port 8080");
        assertProblem("server { listen 8080; server_name .a.test; }\n"
                + "server { listen 8080; server_name a.test; }\n", 2, "conflicting server name");
    }

    @Test
    void oneNameOnTwoPortsIsFine() {
        Rules.load(dir, "server { listen 8080; server_name a.test; }\n"
                + "server { listen 8081; server_name a.test; }\n");
    }

    @Test
    void serversOfAPortMustShareTheAddress() {
        assertProblem("server { listen 127.0.0.1:8080; }\nserver { listen 8080; }\n", 2,
                "share a port: Corral routes by port");
    }

    @Test
    void invalidServerNamesAreErrors() {
        assertProblem("server { listen 80; server_name www.*.test; }\n", 1, "is invalid");
        assertProblem("server { listen 80; server_name *; }\n", 1, "is invalid");
    }

    @Test
    void listenFormsGiveDistinctPorts() {
        VhostConfig c = Rules.load(dir, "server { listen 8080; }\n"
                + "server { listen 8080 default_server; server_name b; }\n"
                + "server { listen 127.0.0.1:9090; }\n"
                + "server { listen [::1]:7070; }\n"
                + "server { listen *:6060; }\n");
        assertEquals(List.of(6060, 7070, 8080, 9090), c.listenPorts());
        assertEquals(List.of(new ListenAddress(null, 6060), new ListenAddress("[::1]", 7070),
                new ListenAddress(null, 8080), new ListenAddress("127.0.0.1", 9090)),
                c.listenAddresses());
    }

    @Test
    void everyProblemOfEveryFileIsReportedAtOnce() {
        write(dir, "a.conf", server("    gzip_comp_level 10;\n    location / { proxy_pass http://x; }"));
        write(dir, "b.conf", "server {\n    listen 9090;\n    return 200 $nope;\n}\n");
        write(dir, "c.conf", "server {\n");
        write(dir, "notes.txt", "not a conf file {");
        RulesException e = assertThrowsRules(dir);
        assertEquals(4, e.problems().size(), e.getMessage());
        assertEquals(List.of("a.conf:4", "a.conf:5", "b.conf:3", "c.conf:2"),
                e.problems().stream().map(p -> p.file().getFileName() + ":" + p.line()).toList());
    }

    @Test
    void directoryFilesLoadInNameOrderSoTheFirstServerIsTheDefault() {
        write(dir, "20-second.conf", "server { listen 8080; return 200 second; }\n");
        write(dir, "10-first.conf", "server { listen 8080; return 200 first; }\n");
        VhostConfig c = load(dir);
        assertEquals("first", ((Respond) Rules.get(c, "unknown.test", "/")).body());
        assertEquals(2, c.files().size());
    }

    @Test
    void anIncludeInAnIncludedFileIsReadFromThePrefixAsNginxDoes() {
        write(dir, "vhost/main.conf", server("    include parts/a.inc;"));
        write(dir, "vhost/parts/a.inc", "include snippets/b.inc;\n");
        write(dir, "vhost/snippets/b.inc", "location /b/ { proxy_pass http://nuomi; }\n");
        write(dir, "vhost/parts/snippets/b.inc", "location /b/ { proxy_pass http://h5; }\n");
        VhostConfig c = load(dir.resolve("vhost"));
        assertEquals("nuomi", ((Proxy) Rules.get(c, "/b/x")).app(), "vhost/snippets, not parts/snippets");
        assertEquals(List.of(), c.notices());
    }

    @Test
    void anIncludeNginxWouldNotFindIsReadBesideItsFileWithANotice() {
        write(dir, "vhost/main.conf", server("    include parts/a.inc;"));
        write(dir, "vhost/parts/a.inc", "include local.inc;\n");
        write(dir, "vhost/parts/local.inc", "location /l/ { proxy_pass http://h5; }\n");
        VhostConfig c = load(dir.resolve("vhost"));
        assertEquals("h5", ((Proxy) Rules.get(c, "/l/x")).app());
        List<String> notices = c.notices().stream().map(RuleProblem::toString).toList();
        assertEquals(1, notices.size(), notices.toString());
        assertTrue(notices.get(0).contains("a.inc:1: include \"local.inc\" is read beside a.inc: nginx reads a"
                + " relative include from its configuration prefix ("), notices.toString());
    }

    @Test
    void includeGlobsAreRelativeToTheIncludingFile() {
        write(dir, "vhost/main.conf", server("    include parts/*.inc;"));
        write(dir, "vhost/parts/b.inc", "location /b/ { proxy_pass http://nuomi; }\n");
        write(dir, "vhost/parts/a.inc", "location /a/ { proxy_pass http://h5; }\n");
        write(dir, "vhost/parts/.hidden.inc", "this is not read");
        VhostConfig c = load(dir.resolve("vhost"));
        assertEquals("h5", ((Proxy) Rules.get(c, "/a/x")).app());
        assertEquals("nuomi", ((Proxy) Rules.get(c, "/b/x")).app());
        assertEquals(3, c.files().size());
    }

    @Test
    void includeOfAMissingFileIsAnErrorButAnEmptyGlobIsNot() {
        write(dir, "vhost/main.conf", server("    include none/*.inc;\n    include gone.inc;"));
        RulesException e = assertThrowsRules(dir.resolve("vhost"));
        assertEquals(1, e.problems().size(), e.getMessage());
        assertEquals(5, e.problems().get(0).line());
        assertTrue(e.problems().get(0).message().contains("gone.inc"), e.getMessage());
    }

    @Test
    void includeLoopIsAnError() {
        write(dir, "vhost/a.conf", "include b.inc;\n");
        write(dir, "vhost/b.inc", "\ninclude a.conf;\n");
        RulesException e = assertThrowsRules(dir.resolve("vhost/a.conf"));
        RuleProblem p = only(e);
        assertEquals(2, p.line(), p.toString());
        assertTrue(p.file().endsWith("b.inc"), p.toString());
        assertTrue(p.message().startsWith("include loop: "), p.toString());
    }

    @Test
    void anEmptyDirectoryIsAnError() {
        RuleProblem p = only(assertThrowsRules(dir));
        assertTrue(p.message().contains("no *.conf file"), p.toString());
    }

    private static VhostConfig load(Path path) {
        try {
            return VhostLoader.load(path, Rules.APPS);
        } catch (RulesException e) {
            throw new AssertionError(e.getMessage(), e);
        }
    }

    private static RulesException assertThrowsRules(Path path) {
        try {
            VhostLoader.load(path, Rules.APPS);
            throw new AssertionError("loaded, problems were expected");
        } catch (RulesException e) {
            return e;
        }
    }
}
