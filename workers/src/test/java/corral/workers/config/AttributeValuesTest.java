package corral.workers.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Attribute values read with PM2's meaning, and PM2's defaults where the file is silent. */
class AttributeValuesTest extends EcosystemTest {

    private AppConfig appWith(String attributes) throws ConfigException {
        return fixture.app("{apps: [{name: 'web', script: 'app.js', " + attributes + "}]}");
    }

    @Test
    void defaultsAreTheOnesOfPm2ExceptMergeLogs() throws ConfigException {
        AppConfig app = appWith("");

        assertEquals(1, app.instances());
        assertEquals(Duration.ofMillis(1600), app.killTimeout());
        assertEquals(Duration.ofMillis(3000), app.listenTimeout());
        assertEquals(Duration.ofMillis(1000), app.minUptime());
        assertEquals(16, app.maxRestarts());
        assertEquals(Duration.ZERO, app.restartDelay());
        assertEquals(Duration.ZERO, app.expBackoffRestartDelay());
        assertTrue(app.autorestart());
        assertEquals(List.of(), app.stopExitCodes());
        assertEquals(0, app.maxMemoryBytes());
        assertFalse(app.mergeLogs());
        assertEquals(Optional.empty(), app.outFile());
        assertEquals(Optional.empty(), app.errorFile());
        assertEquals(Optional.empty(), app.logDateFormat());
        assertEquals("NODE_APP_INSTANCE", app.instanceVar());
        assertEquals(Optional.empty(), app.readinessPath());
        assertEquals(OptionalInt.empty(), app.publicPort());
        assertEquals(Map.of(), app.env());
        assertEquals(List.of(), app.args());
    }

    @ParameterizedTest(name = "max_memory_restart: {0} = {1} bytes")
    @CsvSource(delimiter = '|', value = {
            "1048576       | 1048576",
            "'\"1024\"'    | 1024",
            "'\"512K\"'    | 524288",
            "'\"500M\"'    | 524288000",
            "'\"2G\"'      | 2147483648"})
    void maxMemoryRestartTakesBytesOrKmgWith1024BasedUnits(String json, long bytes) throws ConfigException {
        assertEquals(bytes, appWith("max_memory_restart: " + json).maxMemoryBytes());
    }

    @ParameterizedTest(name = "min_uptime: {0} = {1} ms")
    @CsvSource(delimiter = '|', value = {
            "500         | 500",
            "'\"2500\"'  | 2500",
            "'\"5s\"'    | 5000",
            "'\"2m\"'    | 120000",
            "'\"1h\"'    | 3600000"})
    void minUptimeTakesMillisecondsOrHmsSuffixes(String json, long millis) throws ConfigException {
        assertEquals(Duration.ofMillis(millis), appWith("min_uptime: " + json).minUptime());
    }

    @Test
    void timingsAndRestartPolicyAreRead() throws ConfigException {
        AppConfig app = appWith("kill_timeout: '2500', listen_timeout: 8000, max_restarts: 3, restart_delay: 100,"
                + " exp_backoff_restart_delay: 250, autorestart: false, stop_exit_codes: [0, '2']");

        assertEquals(Duration.ofMillis(2500), app.killTimeout());
        assertEquals(Duration.ofMillis(8000), app.listenTimeout());
        assertEquals(3, app.maxRestarts());
        assertEquals(Duration.ofMillis(100), app.restartDelay());
        assertEquals(Duration.ofMillis(250), app.expBackoffRestartDelay());
        assertFalse(app.autorestart());
        assertEquals(List.of(0, 2), app.stopExitCodes());
        assertEquals(List.of(3), appWith("stop_exit_codes: 3").stopExitCodes());
    }

    @Test
    void aZeroTimeoutMeansTheDefaultAsInPm2AndSaysSo() throws ConfigException {
        Ecosystem ecosystem = fixture.load("{apps: [{name: 'web', script: 'app.js', kill_timeout: 0, listen_timeout: 0}]}");

        assertEquals(Duration.ofMillis(1600), ecosystem.apps().get(0).killTimeout());
        assertEquals(Duration.ofMillis(3000), ecosystem.apps().get(0).listenTimeout());
        assertEquals(List.of(
                fixture.at(1) + "app 'web': kill_timeout: 0 means the default (1600 ms) in PM2; so it does in Corral",
                fixture.at(1) + "app 'web': listen_timeout: 0 means the default (3000 ms) in PM2; so it does in Corral"),
                ecosystem.warnings().stream().map(ConfigProblem::message).toList());
    }

    @ParameterizedTest
    @ValueSource(strings = {"cluster", "fork", "cluster_mode", "fork_mode"})
    void everyExecModeRunsTheSameWay(String mode) throws ConfigException {
        assertEquals(appWith("instances: 2"), appWith("instances: 2, exec_mode: '" + mode + "'"));
    }

    @Test
    void envValuesBecomeTextAsPm2AndNodeMakeThem() throws ConfigException {
        AppConfig app = appWith("env: {S: 's', N: 1, F: 1.5, W: 2.0, B: false, O: {a: 1}, A: [1, 'x'], Z: null}");

        assertEquals(Map.of("S", "s", "N", "1", "F", "1.5", "W", "2", "B", "false", "O", "{\"a\":1}",
                "A", "[1,\"x\"]", "Z", "null"), app.env());
    }

    @Test
    void portSetsPortAndWinsOverEnvAsInPm2() throws ConfigException {
        Ecosystem ecosystem = fixture.load("""
                {apps: [{
                  name: 'web',
                  script: 'app.js',
                  env: {PORT: 3000},
                  port: 4000
                }]}""");

        AppConfig app = ecosystem.apps().get(0);
        assertEquals(OptionalInt.of(4000), app.publicPort());
        assertEquals("4000", app.env().get("PORT"));
        assertEquals(List.of(fixture.at(5) + "app 'web': port: 4000 replaces env.PORT \"3000\", as in PM2"),
                ecosystem.warnings().stream().map(ConfigProblem::message).toList());
        assertEquals(OptionalInt.of(5000), appWith("port: '5000'").publicPort());
    }

    @Test
    void pm2GracefulTimeoutGivesTheGraceWhenKillTimeoutIsNotSet() throws ConfigException {
        assertEquals(Duration.ofMillis(2500), appWith("env: {PM2_GRACEFUL_TIMEOUT: '2500'}").killTimeout());
    }

    @Test
    void killTimeoutWinsOverPm2GracefulTimeoutWhichIsThenIgnoredWithAWarning() throws ConfigException {
        Ecosystem ecosystem = fixture.load("""
                {apps: [{
                  name: 'web',
                  script: 'app.js',
                  kill_timeout: 4000,
                  env: {PM2_GRACEFUL_TIMEOUT: 1000}
                }]}""");

        assertEquals(Duration.ofMillis(4000), ecosystem.apps().get(0).killTimeout());
        assertEquals(List.of(fixture.at(5) + "app 'web': env.PM2_GRACEFUL_TIMEOUT: 1000 is deprecated in PM2 and has "
                        + "no effect there; kill_timeout is set too, so Corral ignores it as well"),
                ecosystem.warnings().stream().map(ConfigProblem::message).toList());
    }

    @Test
    void pm2GracefulListenTimeoutGivesTheListenTimeoutTheSameWay() throws ConfigException {
        Ecosystem ecosystem = fixture.load("{apps: [{name: 'web', script: 'app.js', env: {PM2_GRACEFUL_LISTEN_TIMEOUT: 9000}}]}");

        assertEquals(Duration.ofMillis(9000), ecosystem.apps().get(0).listenTimeout());
        assertEquals(List.of(fixture.at(1) + "app 'web': env.PM2_GRACEFUL_LISTEN_TIMEOUT: 9000 is deprecated in PM2 "
                        + "and has no effect there; Corral uses it as listen_timeout (the time a new instance has "
                        + "to become ready): 9000 ms"),
                ecosystem.warnings().stream().map(ConfigProblem::message).toList());
    }

    @Test
    void aPm2GracefulTimeoutThatIsNotANumberIsAnError() {
        assertEquals(List.of(fixture.at(1) + "app 'web': env.PM2_GRACEFUL_TIMEOUT: \"soon\" is not a whole number "
                        + "of milliseconds"),
                fixture.errors("{apps: [{name: 'web', script: 'app.js', env: {PM2_GRACEFUL_TIMEOUT: 'soon'}}]}"));
    }

    @Test
    void envOverlayAndPm2GracefulTimeoutFromIt() throws ConfigException {
        Ecosystem ecosystem = fixture.load("""
                {apps: [{
                  name: 'web',
                  script: 'app.js',
                  env: {NODE_ENV: 'production', PORT: 80},
                  env_staging: {NODE_ENV: 'staging', PORT: 8080, PM2_GRACEFUL_TIMEOUT: 3000}
                }]}""", Optional.of("staging"));

        AppConfig app = ecosystem.apps().get(0);
        assertEquals(Map.of("NODE_ENV", "staging", "PORT", "8080", "PM2_GRACEFUL_TIMEOUT", "3000"), app.env());
        assertEquals(OptionalInt.of(8080), app.publicPort());
        assertEquals(Duration.ofMillis(3000), app.killTimeout());
    }

    @Test
    void anAppWithoutTheAskedOverlayKeepsItsEnvWithAWarning() throws ConfigException {
        Ecosystem ecosystem = fixture.load("""
                {apps: [
                  {name: 'web', script: 'app.js', env: {A: 1}, env_dev: {A: 2}},
                  {name: 'api', script: 'app.js', env: {A: 1}}
                ]}""", Optional.of("dev"));

        assertEquals("2", ecosystem.app("web").orElseThrow().env().get("A"));
        assertEquals("1", ecosystem.app("api").orElseThrow().env().get("A"));
        assertEquals(List.of(fixture.at(3) + "app 'api': has no env_dev; its env is used as it is, as in PM2"),
                ecosystem.warnings().stream().map(ConfigProblem::message).toList());
    }

    @Test
    void appendEnvToNameAddsTheEnvName() throws ConfigException {
        Ecosystem ecosystem = fixture.load("{apps: [{name: 'web', script: 'app.js', append_env_to_name: true, env_dev: {}}]}",
                Optional.of("dev"));

        assertEquals("web-dev", ecosystem.apps().get(0).name());
    }

    @Test
    void logsAndIdentityAttributesAreRead() throws ConfigException {
        AppConfig app = appWith("merge_logs: true, log_date_format: 'YYYY-MM-DD HH:mm Z', instance_var: 'INSTANCE_ID',"
                + " readiness_path: '/health/ready'");

        assertTrue(app.mergeLogs());
        assertEquals(Optional.of("YYYY-MM-DD HH:mm Z"), app.logDateFormat());
        assertEquals("INSTANCE_ID", app.instanceVar());
        assertEquals(Optional.of("/health/ready"), app.readinessPath());
        assertTrue(appWith("combine_logs: true").mergeLogs());
    }

    @Test
    void timeTrueMeansPm2sTimestampFormat() throws ConfigException {
        assertEquals(Optional.of("YYYY-MM-DDTHH:mm:ss"), appWith("time: true").logDateFormat());
        assertEquals(Optional.empty(), appWith("time: false").logDateFormat());
    }

    @Test
    void aPythonInterpreterGetsUnbufferedOutputAsInPm2() throws ConfigException {
        fixture.script("job.py");

        AppConfig app = fixture.app("{apps: [{name: 'job', script: 'job.py'}]}");
        assertEquals(Optional.of("python3"), app.interpreter());
        assertEquals("1", app.env().get("PYTHONUNBUFFERED"));
    }
}
