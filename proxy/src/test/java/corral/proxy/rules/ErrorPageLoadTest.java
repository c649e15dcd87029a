package corral.proxy.rules;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** error_page, recursive_error_pages, proxy_intercept_errors and internal: nginx's checks, with file and line. */
class ErrorPageLoadTest {

    @TempDir
    Path dir;

    private void refused(String body, String expected) {
        RulesException e = Rules.problems(dir, Rules.server(body));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
        assertTrue(e.getMessage().contains("test.conf:"), e.getMessage());
    }

    @Test
    void nginxsChecksOfErrorPage() {
        refused("error_page 404;", "invalid number of arguments");
        refused("error_page =200 /x;", "invalid value \"=200\"");
        refused("error_page 404 =2x0 /x;", "invalid value \"=2x0\"");
        refused("error_page 200 /x;", "value \"200\" must be between 300 and 599");
        refused("error_page 600 /x;", "value \"600\" must be between 300 and 599");
        refused("error_page 499 /x;", "invalid value \"499\"");
        refused("error_page 40x /x;", "invalid value \"40x\"");
        refused("error_page 404 /x$nosuchvar;", "nosuchvar");
    }

    @Test
    void flagsAndInternal() {
        refused("recursive_error_pages yes;", "it must be \"on\" or \"off\"");
        refused("proxy_intercept_errors on; proxy_intercept_errors off;", "is duplicate");
        refused("internal;", "\"internal\" directive is not allowed here");
        refused("location /x { internal 1; }", "invalid number of arguments");
        refused("location /x { if ($arg_a) { error_page 404 /y; } }", "inside \"if\" is not supported");
    }

    @Test
    void theUsualFormsLoad() {
        Rules.load(dir, "error_page 500 502 503 504 /50x;\nrecursive_error_pages off;\n" + Rules.server("""
                    error_page 404 = @fallback;
                    error_page 403 =200 /ok?from=$uri;
                    error_page 410 https://example.com$request_uri;
                    proxy_intercept_errors on;
                    location @fallback { proxy_pass http://h5; }
                    location = /50x { internal; return 200 "sorry"; }
                    location /a/ { error_page 404 =301 /b/; recursive_error_pages on; proxy_pass http://h5; }
                """));
    }
}
