package corral.proxy.rules;

import corral.proxy.accesslog.AccessLogTarget;
import corral.proxy.accesslog.LogFormat;

import corral.proxy.gzip.GzipSettings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import corral.proxy.rules.RouteDecision.Proxy;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A whole nginx.conf read as vhost rules: its main-context directives and the http-level ones
 * that change no answer are accepted with a notice each; {@code http { }} wraps the rules;
 * what would change an answer is refused.
 */
class NginxConfTest {

    @TempDir
    Path dir;

    /** Debian's nginx.conf, as shipped with nginx 1.22, with a vhost in place of its includes. */
    private static final String DEBIAN = """
            user www-data;
            worker_processes auto;
            pid /run/nginx.pid;
            include modules.d/*.conf;

            events {
            \tworker_connections 768;
            }

            http {
            \tsendfile on;
            \ttcp_nopush on;
            \ttypes_hash_max_size 2048;
            \tserver_tokens off;

            \tinclude mime.types;
            \tdefault_type application/octet-stream;

            \tssl_prefer_server_ciphers on;
            \taccess_log /var/log/nginx/access.log;
            \terror_log /var/log/nginx/error.log;

            \tgzip off;

            \tinclude sites-enabled/*;
            }
            """;

    private static final String SITE = """
            upstream app { server 127.0.0.1:8197; keepalive 16; }
            server {
                listen 8080;
                server_name example.test;
                location / {
                    proxy_http_version 1.1;
                    proxy_set_header Connection "";
                    proxy_pass http://app;
                }
            }
            """;

    private VhostConfig load() {
        Rules.write(dir, "mime.types", "types {\n    text/html html htm;\n    image/png png;\n}\n");
        Rules.write(dir, "modules.d/50-mod.conf", "load_module modules/ngx_stream_module.so;\n");
        Rules.write(dir, "sites-enabled/site", SITE);
        return Rules.load(dir, DEBIAN.replace("\tssl_prefer_server_ciphers on;\n", ""),
                Map.of(8197, "nuomi"));
    }

    @Test
    void aDebianNginxConfLoadsWithANoticePerIgnoredDirective() {
        VhostConfig rules = load();
        // "gzip off;" at the http level: set, and so inherited, though it compresses nothing
        GzipSettings gzipOff = new GzipSettings(false, null, null, null, null, null, null, null);
        Proxy got = (Proxy) Rules.get(rules, "/x");
        assertEquals(new Proxy("nuomi", "/x", List.of(new RouteDecision.HeaderSet("Connection", "")),
                "app", new ProxySettings(null, -1, gzipOff, ResponseRules.UNSET, LimitSettings.UNSET, null, List.of(new AccessLogTarget(
                        Path.of("/var/log/nginx/access.log"), LogFormat.COMBINED, 0, AccessLogTarget.UNBUFFERED_FLUSH,
                        null)), false, got.settings().files(), ProxySettings.NextUpstreamLimits.UNSET)), got);
        // the http level's include mime.types and default_type type files
        assertEquals("image/png", got.settings().files().contentType("/a.PNG"));
        assertEquals("application/octet-stream", got.settings().files().contentType("/a.css"));
        List<String> noticed = rules.notices().stream().map(RuleProblem::directive).toList();
        // in file order: nginx.conf, then its includes as they were read
        assertEquals(List.of("user", "worker_processes", "pid", "events", "sendfile", "tcp_nopush",
                "types_hash_max_size", "server_tokens", "error_log", "load_module", "keepalive"), noticed);
        assertTrue(rules.notices().get(0).message().contains("configures nginx's processes"));
    }

    @Test
    void typesThatWouldChangeAReturnsContentTypeAreRefused() {
        Rules.write(dir, "mime.types", "types {\n    text/html html;\n}\n");
        RulesException e = Rules.problems(dir, "include mime.types;\ndefault_type text/plain;\n"
                + Rules.server("    location = /ok { return 200 \"ok\"; }"));
        assertEquals(1, e.problems().size(), e.getMessage());
        assertTrue(e.problems().get(0).message().contains("\"types\" would change the Content-Type"
                + " nginx gives the return at"), e.getMessage());
    }

    @Test
    void whatChangesAnswersOrNestsWronglyIsRefused() {
        assertRefused("gzip_static on;\n", "Corral serves no precompressed .gz files");
        assertRefused("http { http { } }\n", "\"http\" directive is not allowed here");
        assertRefused("http { worker_processes 2; }\n", "unknown directive \"worker_processes\"");
        assertRefused("events;\n", "has no opening \"{\"");
    }

    private void assertRefused(String text, String message) {
        RulesException e = Rules.problems(dir, text);
        assertEquals(1, e.problems().size(), e.getMessage());
        assertTrue(e.problems().get(0).message().contains(message), e.getMessage());
    }
}
