package corral.workers.config;

import static corral.workers.config.EcosystemFixture.appWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every kind of bad value is an error that names the file, the line, the app, the attribute as
 * spelled, the value and what was expected; and a file with several is reported whole.
 */
class BadValuesTest extends EcosystemTest {

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "exec_mode          | \"cluster-mode\" | is not \"cluster\", \"fork\", \"cluster_mode\" or \"fork_mode\"",
            "max_memory_restart | \"500m\"   | is not a size: " + ByteSize.ACCEPTED,
            "max_memory_restart | \"1.5G\"   | is not a size: " + ByteSize.ACCEPTED,
            "max_memory_restart | \"500MB\"  | is not a size: " + ByteSize.ACCEPTED,
            "max_memory_restart | true       | is not a size: " + ByteSize.ACCEPTED,
            "max_memory_restart | 0          | is no limit at all (PM2 would restart the app at every check); leave max_memory_restart out for no limit",
            "kill_timeout       | \"abc\"    | is not a whole number of milliseconds",
            "kill_timeout       | 1.5        | is not a whole number of milliseconds",
            "kill_timeout       | -5         | is negative; give milliseconds, 0 or more",
            "listen_timeout     | \"3s\"     | is not a whole number of milliseconds",
            "restart_delay      | \"soon\"   | is not a whole number of milliseconds",
            "exp_backoff_restart_delay | -1  | is negative; give milliseconds, 0 or more",
            "min_uptime         | \"5x\"     | is not a time: give milliseconds, or a whole number followed by h, m or s, e.g. \"5s\"",
            "min_uptime         | 50         | is under 100 ms, PM2's minimum",
            "max_restarts       | -1         | is not a whole number, 0 or more",
            "max_restarts       | \"x\"      | is not a whole number, 0 or more",
            "autorestart        | \"false\"  | is not true or false",
            "merge_logs         | \"yes\"    | is not true or false",
            "combine_logs       | 1          | is not true or false",
            "disable_logs       | \"true\"   | is not true or false",
            "time               | \"yes\"    | is not true or false",
            "append_env_to_name | 1          | is not true or false",
            "stop_exit_codes    | \"x\"      | is not an exit code (0..255) or a list of them",
            "stop_exit_codes    | [0,300]    | is not an exit code (0..255) or a list of them",
            "out_file           | 5          | is not a string",
            "err_file           | false      | is not a string",
            "log_date_format    | 5          | is not a string",
            "instance_var       | \"NODE APP\" | is not an environment variable name (letters, digits, '_')",
            "instance_var       | \"PORT\"   | cannot be PORT: Corral gives each instance its own PORT",
            "readiness_path     | \"health\" | is not a path: it must start with \"/\" and hold no spaces",
            "args               | {}         | is neither a string nor a list of strings",
            "args               | \"a 'b\"   | has an unclosed ' quote",
            "node_args          | 5          | is neither a string nor a list of strings",
            "interpreter        | 5          | is not a string",
            "exec_interpreter   | \"node@16\" | asks PM2 to pick a node version through nvm; give the path of that node instead",
            "exec_interpreter   | \"\"       | is empty; give a command, or \"none\" to run the script itself",
            "env                | \"PORT=1\" | is not an object of NAME: value pairs",
            "env_production     | [1]        | is not an object of NAME: value pairs",
            "port               | \"http\"   | is not a port number (1..65535)",
            "port               | 0          | is not a port number (1..65535); PORT is the app's public port",
            "port               | 70000      | is not a port number (1..65535); PORT is the app's public port"})
    void isAnErrorNamingFileLineAppAndAttribute(String attribute, String json, String explanation) {
        assertEquals(List.of(fixture.at(4) + "app 'web': " + attribute + ": " + json + " " + explanation),
                fixture.errors(appWith(attribute, json)));
    }

    @Test
    void aBadScriptOrCwdIsAnError() {
        assertEquals(List.of(fixture.at(3) + "app 'web': script: \"gone.js\" not found: " + dir.resolve("gone.js")),
                fixture.errors("""
                        {"apps": [{
                          "name": "web",
                          "script": "gone.js"
                        }]}
                        """));
        assertEquals(List.of(fixture.at(4) + "app 'web': cwd: \"nowhere\" is not a directory: " + dir.resolve("nowhere")),
                fixture.errors(appWith("cwd", "\"nowhere\"")));
        assertEquals(List.of(fixture.at(3) + "app 'web': script: \"\" is empty: the file to run is required"),
                fixture.errors("""
                        {"apps": [{
                          "name": "web",
                          "script": ""
                        }]}
                        """));
    }

    @Test
    void aMissingScriptIsAnErrorAtTheApp() {
        assertEquals(List.of(fixture.at(2) + "app 'web': script: is missing: the file to run is required"),
                fixture.errors("""
                        {"apps": [
                          {"name": "web", "instances": 2}
                        ]}
                        """));
    }

    @Test
    void aBadPortInEnvIsReportedWhereItWasWritten() {
        assertEquals(List.of(fixture.at(5) + "app 'web': env.PORT: \"eighty\" is not a port number (1..65535); "
                        + "PORT is the app's public port"),
                fixture.errors("""
                        {"apps": [{
                          "name": "web",
                          "script": "app.js",
                          "env": {
                            "PORT": "eighty"
                          }
                        }]}
                        """));
    }

    @Test
    void anUnusableNameIsAnError() {
        assertEquals(List.of(fixture.at(1) + "app '#1': name: 5 is not a string"),
                fixture.errors("{apps: [{name: 5, script: 'app.js'}]}"));
        assertEquals(List.of(fixture.at(1) + "app 'my app': name: \"my app\" is not usable: a name is made of letters, "
                        + "digits, '.', '_' and '-' (it appears in proxy_pass http://<name> and in metric names)"),
                fixture.errors("{apps: [{name: 'my app', script: 'app.js'}]}"));
    }

    @Test
    void anEnvVariableNameWithAnEqualsSignIsAnError() {
        assertEquals(List.of(fixture.at(1) + "app 'web': env.A=B: 1 cannot be set: an environment variable name "
                        + "must be non-empty, without '='"),
                fixture.errors("{apps: [{name: 'web', script: 'app.js', env: {'A=B': 1}}]}"));
    }

    @Test
    void oddValuesAreErrorsNotCrashes() {
        assertEquals(List.of(fixture.at(1) + "app 'x': cwd: \"a\\u0000\" is not a usable path: it holds a NUL character"),
                fixture.errors("{apps: [{name: 'x', script: 'app.js', cwd: 'a\\u0000'}]}"));
        assertEquals(List.of(fixture.at(1) + "app 'x': out_file: \"a\\u0000\" is not a usable path: it holds a NUL character"),
                fixture.errors("{apps: [{name: 'x', script: 'app.js', out_file: 'a\\u0000'}]}"));
        assertEquals(List.of(fixture.at(1) + "app '#1': script: \"/\" not found: /"),
                fixture.errors("{apps: [{script: '/'}]}"));
        assertEquals(List.of(fixture.at(1) + "apps: is not a list of apps"), fixture.errors("{apps: null}"));
    }

    @Test
    void reportsEveryErrorOfEveryAppInFileOrder() {
        List<String> errors = fixture.errors("""
                {"apps": [{
                  "name": "web",
                  "script": "app.js",
                  "instances": "abc",
                  "max_memory_restart": "1.5G",
                  "kill_timeout": "later",
                  "exec_mode": "cluster-mode"
                }, {
                  "name": "api",
                  "script": "api.js",
                  "autorestart": "no",
                  "env": {"PORT": 99999}
                }]}
                """);

        assertEquals(List.of(
                fixture.at(4) + "app 'web': instances: \"abc\" is not a number, \"max\" or a negative count "
                        + "(PM2 would silently use all CPUs)",
                fixture.at(5) + "app 'web': max_memory_restart: \"1.5G\" is not a size: " + ByteSize.ACCEPTED,
                fixture.at(6) + "app 'web': kill_timeout: \"later\" is not a whole number of milliseconds",
                fixture.at(7) + "app 'web': exec_mode: \"cluster-mode\" is not \"cluster\", \"fork\", "
                        + "\"cluster_mode\" or \"fork_mode\"",
                fixture.at(10) + "app 'api': script: \"api.js\" not found: " + dir.resolve("api.js"),
                fixture.at(11) + "app 'api': autorestart: \"no\" is not true or false",
                fixture.at(12) + "app 'api': env.PORT: 99999 is not a port number (1..65535); "
                        + "PORT is the app's public port"),
                errors);
    }

    @Test
    void theExceptionMessageIsEveryErrorOnItsOwnLine() {
        ConfigException failure = fixture.failure("{apps: [{name: 'a', script: 'app.js', instances: 'x', kill_timeout: 'y'}]}");

        assertEquals(2, failure.getMessage().lines().count());
        assertEquals(failure.errors().get(0).message(), failure.getMessage().lines().findFirst().orElseThrow());
    }
}
