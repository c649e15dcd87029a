package corral.proxy.rules;

import static corral.proxy.rules.Rules.load;
import static corral.proxy.rules.Rules.problems;
import static corral.proxy.rules.Rules.server;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import corral.proxy.accesslog.AccessLogTarget;
import corral.proxy.accesslog.LogFormat;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** log_format, access_log and stub_status at load: inheritance as nginx's, and the refusals. */
class LogDirectivesTest {

    @TempDir
    Path dir;

    private List<AccessLogTarget> logsOf(VhostConfig config, String target) {
        RequestLog log = config.routed(RouteRequest.of(8080, "GET", "example.test", target)).log();
        return log == null ? null : log.targets(); // no log at all where nothing logs
    }

    @Test
    void aLevelsAccessLogsReplaceItsParentsAndOffWinsAtItsLevel() {
        VhostConfig config = load(dir, "log_format f '$status';\naccess_log top.log;\n" + server("""
                    access_log s.log f buffer=8k;
                    location /own { access_log l.log; access_log l2.log f buffer=1k flush=3s; return 200; }
                    location /off { access_log off; access_log x.log; return 200; }
                    location / { return 200; }
                """));
        List<AccessLogTarget> server = logsOf(config, "/");
        assertEquals(List.of(dir.resolve("s.log")), server.stream().map(AccessLogTarget::path).toList());
        assertEquals("f", server.get(0).format().name());
        assertEquals(8192, server.get(0).buffer());
        assertEquals(Duration.ofSeconds(1), server.get(0).flush());
        List<AccessLogTarget> own = logsOf(config, "/own");
        assertEquals(List.of(dir.resolve("l.log"), dir.resolve("l2.log")), own.stream().map(AccessLogTarget::path).toList());
        assertEquals(LogFormat.COMBINED, own.get(0).format());
        assertEquals(Duration.ofSeconds(3), own.get(1).flush());
        assertEquals(List.of(), logsOf(config, "/off"));
        assertTrue(config.logsOrCounts());
    }

    @Test
    void withoutAnyAccessLogTheRulesAskForNothingMore() {
        VhostConfig config = load(dir, server("    location / { return 200; }"));
        assertNull(logsOf(config, "/"));
        assertTrue(!config.logsOrCounts());
    }

    @Test
    void stubStatusAnswersInItsLocation() {
        VhostConfig config = load(dir, server("    location = /s { stub_status; }"));
        assertEquals(new RouteDecision.StubStatus(), Rules.get(config, "/s"));
        assertEquals(404, ((RouteDecision.Respond) Rules.get(config, "/t")).status());
        // in a server: what no location matches (nginx never inherits a content handler)
        VhostConfig server = load(dir, server("    stub_status;\n    location /a { return 204; }"));
        assertEquals(new RouteDecision.StubStatus(), Rules.get(server, "/b"));
        assertEquals(204, ((RouteDecision.Respond) Rules.get(server, "/a")).status());
        assertTrue(config.logsOrCounts());
    }

    @Test
    void refusalsNameTheLineAndSayWhy() {
        String text = "access_log a.log nosuch;\nlog_format f '$nosuchvar';\nlog_format combined 'x';\n"
                + "log_format g escape=xml 'x';\n" + server("""
                    log_format h 'x';
                    access_log b.log combined flush=1s;
                    access_log syslog:server=1.2.3.4;
                    access_log c.log combined gzip;
                """) + "stub_status;\n";
        List<String> messages = problems(dir, text).problems().stream().map(p -> p.line() + ": " + p.message()).toList();
        assertEquals(9, messages.size(), String.join("\n", messages));
        assertTrue(messages.get(0).startsWith("1: unknown log format \"nosuch\""), messages.get(0));
        assertTrue(messages.get(1).startsWith("2: unknown variable \"$nosuchvar\""), messages.get(1));
        assertEquals("3: duplicate \"log_format\" name \"combined\"", messages.get(2));
        assertTrue(messages.get(3).startsWith("4: unknown log format escaping \"xml\""), messages.get(3));
        assertTrue(messages.get(4).startsWith("8: \"log_format\" directive is not allowed here"), messages.get(4));
        assertEquals("9: no buffer is defined for access_log \"b.log\"", messages.get(5));
        assertTrue(messages.get(6).startsWith("10: access_log \"syslog:server=1.2.3.4\" is not supported"), messages.get(6));
        assertTrue(messages.get(7).startsWith("11: invalid parameter \"gzip\""), messages.get(7));
        assertTrue(messages.get(8).startsWith("14: \"stub_status\" directive is not allowed here"), messages.get(8));
    }

    @Test
    void aLogReadsMapsSetVariablesAndCapturesWrittenAnywhereButTheRewritesNotTheAnswersVariables() {
        // nginx resolves a log's variables once every file is read: the map may come after
        load(dir, "log_format f '$loggable $who $cap $sent_http_x_any';\naccess_log a.log f if=$loggable;\n"
                + "map $status $loggable { ~^[23] 0; default 1; }\n" + server("""
                    set $who server;
                    location ~ ^/(?<cap>\\w+) { return 200; }
                """));
        String text = "log_format f '$nosuch';\n" + server("""
                    return 200 $status;
                    set $status 1;
                """);
        List<String> messages = problems(dir, text).problems().stream().map(p -> p.line() + ": " + p.message()).toList();
        assertEquals(3, messages.size(), String.join("\n", messages));
        assertTrue(messages.get(0).startsWith("1: unknown variable \"$nosuch\""), messages.get(0));
        assertTrue(messages.get(1).startsWith("5: \"$status\" is known once the answer is sent"), messages.get(1));
        assertTrue(messages.get(2).startsWith("6: \"set\" of the built-in variable \"$status\""), messages.get(2));
    }
}
