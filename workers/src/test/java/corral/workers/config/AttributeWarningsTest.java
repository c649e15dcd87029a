package corral.workers.config;

import static corral.workers.config.EcosystemFixture.appWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every key is accounted for: honoured under any of PM2's spellings, reported as not supported
 * when its value asks for something Corral does not do, or reported as unknown with the likely
 * intended name. Nothing is ignored in silence, and nothing harmless is nagged about.
 */
class AttributeWarningsTest extends EcosystemTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "instnces          | instances",
            "max_memory_restar | max_memory_restart",
            "killTimout        | kill_timeout",
            "Instances         | instances",
            "exec_intepreter   | exec_interpreter",
            "readyness_path    | readiness_path",
            "merge_log         | merge_logs"})
    void anUnknownKeyIsAWarningWithTheClosestKnownName(String typo, String meant) throws ConfigException {
        assertEquals(List.of(fixture.at(4) + "app 'web': " + typo + ": unknown attribute (typo?); did you mean '"
                + meant + "'?"), fixture.warnings(appWith(typo, "1")));
    }

    @Test
    void anUnknownKeyFarFromAnyNameIsAWarningWithoutSuggestion() throws ConfigException {
        assertEquals(List.of(fixture.at(4) + "app 'web': favourite_colour: unknown attribute (typo?)"),
                fixture.warnings(appWith("favourite_colour", "\"green\"")));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "watch                 | true                | use bin/control reload",
            "watch                 | [\"src\"]           | use bin/control reload",
            "treekill              | false               | Corral always ends an instance's whole process tree",
            "autostart             | false               | every app of the file is started",
            "namespace             | \"shop\"            | apps are addressed by name",
            "uid                   | \"www\"             | run the Corral daemon as the user the apps should run as",
            "user                  | \"www\"             | run the Corral daemon as the user the apps should run as",
            "gid                   | 33                  | run the Corral daemon with the group the apps should run as",
            "pid_file              | \"/run/web.pid\"    | Corral records pids in its registry in the state dir",
            "log_file              | \"combined.log\"    | Corral keeps stdout and stderr apart (out_file, error_file)",
            "log_type              | \"json\"            | lines are logged as the app writes them, not wrapped in JSON",
            "increment_var         | \"PORT\"            | each instance already gets its own PORT from Corral; the app's PORT is the public listener",
            "filter_env            | true                | give the app what it needs in env",
            "vizion                | true                | no versioning metadata is collected",
            "pmx                   | true                | PM2.io monitoring; use Corral's metrics",
            "force                 | true                | Corral never starts an app twice"})
    void anUnsupportedAttributeIsAWarningNamingFileAppAndAttribute(String attribute, String json, String why)
            throws ConfigException {
        assertEquals(List.of(fixture.at(4) + "app 'web': " + attribute + ": " + json
                + " is not supported by Corral and is ignored (" + why + ")"), fixture.warnings(appWith(attribute, json)));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
            "\"watch\": false", "\"ignore_watch\": [\"node_modules\"]", "\"ignoreWatch\": [\"log\"]",
            "\"watch_delay\": 1000", "\"watch_options\": {}", "\"treekill\": true", "\"autostart\": true",
            "\"wait_ready\": false", "\"cron_restart\": \"0\"", "\"log_file\": \"/dev/null\"", "\"log_file\": false",
            "\"namespace\": \"default\"", "\"vizion\": false", "\"windowsHide\": true", "\"source_map_support\": false",
            "\"disable_source_map_support\": true", "\"disable_trace\": true", "\"username\": \"deploy\""})
    void aValueThatAsksForNothingCorralLacksLoadsWithoutWarning(String attribute) throws ConfigException {
        assertEquals(List.of(), fixture.warnings("{\"apps\": [{\"name\": \"web\", \"script\": \"app.js\", "
                + attribute + "}]}"));
    }

    @Test
    void pm2AliasesAndCamelCaseSpellingsAreHonoured() throws ConfigException {
        fixture.script("bin/app.js");

        AppConfig app = fixture.app("""
                {apps: [{
                  name: 'web',
                  cmd: 'bin/app.js',
                  interpreter: 'node',
                  interpreterArgs: '--max-old-space-size=64',
                  killTimeout: 2000,
                  maxMemoryRestart: '1G',
                  combine_logs: true,
                  err_file: 'logs/err.log',
                  out: 'logs/out.log',
                  execMode: 'cluster'
                }]}""");

        assertEquals(dir.resolve("bin/app.js"), app.script());
        assertEquals(List.of("node", "--max-old-space-size=64", dir.resolve("bin/app.js").toString()), app.command());
        assertEquals(Duration.ofMillis(2000), app.killTimeout());
        assertEquals(1L << 30, app.maxMemoryBytes());
        assertEquals(true, app.mergeLogs());
        assertEquals(Optional.of(dir.resolve("logs/err.log")), app.errorFile());
        assertEquals(Optional.of(dir.resolve("logs/out.log")), app.outFile());
    }

    @Test
    void twoSpellingsOfOneAttributeKeepTheCanonicalOneAndWarnAboutTheOther() throws ConfigException {
        Ecosystem ecosystem = fixture.load("""
                {apps: [{
                  name: 'web',
                  script: 'app.js',
                  combine_logs: false,
                  merge_logs: true
                }]}""");

        assertEquals(true, ecosystem.apps().get(0).mergeLogs());
        assertEquals(List.of(fixture.at(4) + "app 'web': combine_logs: is ignored: 'merge_logs', the same attribute, "
                + "is also given and counts"), ecosystem.warnings().stream().map(ConfigProblem::message).toList());
    }
}
