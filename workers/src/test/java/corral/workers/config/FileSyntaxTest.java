package corral.workers.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * What PM2's JavaScript evaluation of the file accepts loads here too; every top-level shape PM2
 * knows works; and a file that is not JSON at all says where and why.
 */
class FileSyntaxTest extends EcosystemTest {

    private List<String> names(String json) throws ConfigException {
        return fixture.load(json).apps().stream().map(AppConfig::name).toList();
    }

    @Test
    void javaScriptStyleCommentsQuotesKeysAndCommasLoad() throws ConfigException {
        Ecosystem ecosystem = fixture.load("""
                // the ecosystem of the test
                {
                  apps: [
                    {
                      name: 'web',          /* single quotes, unquoted keys */
                      script: "app.js",
                      instances: +2,
                      env: {PORT: 8080,},   // a trailing comma
                    },
                  ],
                }
                """);

        assertEquals(2, ecosystem.app("web").orElseThrow().instances());
        assertEquals(List.of(), ecosystem.warnings());
    }

    @Test
    void everyTopLevelShapePm2KnowsLoads() throws ConfigException {
        assertEquals(List.of("a", "b"), names("{apps: [{name: 'a', script: 'app.js'}, {name: 'b', script: 'app.js'}]}"));
        assertEquals(List.of("a"), names("{pm2: [{name: 'a', script: 'app.js'}]}"));
        assertEquals(List.of("a", "b"), names("[{name: 'a', script: 'app.js'}, {name: 'b', script: 'app.js'}]"));
        assertEquals(List.of("a"), names("{name: 'a', script: 'app.js'}"));
        assertEquals(List.of("a"), names("{apps: {name: 'a', script: 'app.js'}}"));
    }

    @Test
    void anAppWithoutANameIsNamedAfterItsScriptAsInPm2() throws ConfigException {
        fixture.script("server.prod.js");

        assertEquals(List.of("server.prod"), names("{apps: [{script: 'server.prod.js'}]}"));
    }

    @Test
    void aSyntaxErrorNamesLineColumnAndReason() {
        ConfigException failure = fixture.failure("""
                {"apps": [{
                  "name": "web"
                  "script": "app.js"
                }]}
                """);

        assertEquals(List.of(fixture.file() + ":3:3: not valid JSON: Unexpected character '\"': "
                + "was expecting comma to separate Object entries"), messages(failure));
    }

    @Test
    void aTruncatedFileSaysWhereItEnds() {
        assertEquals(List.of(fixture.file() + ":2:1: not valid JSON: Unexpected end-of-input within/between "
                + "Object entries"), messages(fixture.failure("{apps: [{name: 'web',\n")));
        assertEquals(List.of(fixture.file() + ":2:1: not valid JSON: Unexpected end-of-input: expected close marker "
                + "for Array (start marker at line 1, column 8)"), messages(fixture.failure("{apps: [\n")));
    }

    @Test
    void aJavaScriptModuleNamedJsonIsRefusedWithAHint() {
        String message = messages(fixture.failure("module.exports = {apps: []}")).get(0);

        assertEquals(fixture.file() + ":1:1: not valid JSON: Unrecognized token 'module': was expecting (JSON String, "
                + "Number, Array, Object or token 'null', 'true' or 'false') (this looks like a JavaScript ecosystem "
                + "file: name it ecosystem.config.js, .cjs or .mjs and node evaluates it, as PM2 does)",
                message);
    }

    @Test
    void anEmptyOrMissingFileIsAnError() {
        assertEquals(List.of(fixture.file() + ": the file is empty"), messages(fixture.failure("  // nothing\n")));
        Path missing = dir.resolve("none.json");
        ConfigException failure = assertThrows(ConfigException.class,
                () -> EcosystemLoader.load(missing, Optional.empty(), 4));
        assertEquals(List.of(missing + ": no such file"), messages(failure));
    }

    @Test
    void aFileWithNoAppsOrNotAppsIsAnError() {
        assertEquals(List.of(fixture.file() + ":1: the file defines no apps"), fixture.errors("{apps: []}"));
        assertEquals(List.of(fixture.file() + ":1: apps: is not a list of apps"), fixture.errors("{apps: 'web'}"));
        assertEquals(List.of(fixture.file() + ":1: app '#2': is not an object of attributes"),
                fixture.errors("[{name: 'a', script: 'app.js'}, 'b']"));
        assertEquals(List.of(fixture.file() + ":1: the file holds number, not a list of apps: expected "
                + "{apps: [...]}, a list of apps, or one app"), fixture.errors("42"));
    }

    @Test
    void aKeyGivenTwiceCountsOnceWithAWarning() throws ConfigException {
        Ecosystem ecosystem = fixture.load("""
                {apps: [{
                  name: 'web',
                  script: 'app.js',
                  instances: 2,
                  instances: 3
                }]}""");

        assertEquals(3, ecosystem.apps().get(0).instances());
        assertEquals(List.of(fixture.at(5) + "instances: is given twice in one object; the last one counts, as in JavaScript"),
                ecosystem.warnings().stream().map(ConfigProblem::message).toList());
    }

    @Test
    void topLevelKeysBesideAppsAreCheckedToo() throws ConfigException {
        List<String> warnings = fixture.warnings("""
                {
                  apps: [{name: 'web', script: 'app.js'}],
                  deploy: {production: {}},
                  aps: []
                }""");

        assertEquals(List.of(
                fixture.at(3) + "deploy: is not supported by Corral and is ignored (deployment is done outside "
                        + "Corral; env_<name> still works)",
                fixture.at(4) + "aps: unknown top-level attribute (typo?); did you mean 'apps'?"), warnings);
    }

    private static List<String> messages(ConfigException failure) {
        return failure.errors().stream().map(ConfigProblem::message).toList();
    }
}
