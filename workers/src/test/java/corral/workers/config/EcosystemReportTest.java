package corral.workers.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** What bin/control check prints, nginx -t style. */
class EcosystemReportTest extends EcosystemTest {

    @Test
    void aGoodFileIsOneLinePerAppThenWarningsThenOk() throws ConfigException {
        Ecosystem ecosystem = fixture.load("""
                {apps: [
                  {name: 'web', script: 'app.js', instances: 1, node_args: '--inspect', args: 'a b', max_memory_restart: 1000},
                  {name: 'api', script: 'app.js', interpreter: 'none', watch: true, max_memory_restart: '2G', merge_logs: true}
                ]}""");

        assertEquals(List.of(
                "web: 1 instance, no public port, node --inspect app.js a b, kill_timeout 1600 ms, "
                        + "listen_timeout 3000 ms, max memory 1000 bytes, merge_logs false",
                "api: 1 instance, no public port, app.js, kill_timeout 1600 ms, listen_timeout 3000 ms, "
                        + "max memory 2G, merge_logs true",
                "warning: " + fixture.at(3) + "app 'api': watch: true is not supported by Corral and is ignored "
                        + "(use bin/control reload)",
                "OK"), EcosystemReport.render(ecosystem));
    }

    @Test
    void aScriptOutsideTheFilesDirectoryIsShownInFull() throws ConfigException {
        AppConfig app = fixture.app("{apps: [{name: 'sh', script: '/bin/sh', instances: 'max'}]}");

        assertEquals("sh: 8 instances, no public port, /bin/sh, kill_timeout 1600 ms, listen_timeout 3000 ms, "
                + "max memory unlimited, merge_logs false", EcosystemReport.describe(app));
    }

    @Test
    void aBadFileIsEveryErrorThenWarningsThenTheCount() {
        ConfigException failure = fixture.failure("""
                {apps: [{
                  name: 'web',
                  script: 'app.js',
                  instances: 'abc',
                  max_memory_restart: '500m',
                  watch: true
                }]}""");

        assertEquals(List.of(
                "error: " + fixture.at(4) + "app 'web': instances: \"abc\" is not a number, \"max\" or a negative "
                        + "count (PM2 would silently use all CPUs)",
                "error: " + fixture.at(5) + "app 'web': max_memory_restart: \"500m\" is not a size: "
                        + ByteSize.ACCEPTED,
                "warning: " + fixture.at(6) + "app 'web': watch: true is not supported by Corral "
                        + "and is ignored (use bin/control reload)",
                fixture.file() + ": check failed, 2 errors"),
                EcosystemReport.render(failure));
    }
}
