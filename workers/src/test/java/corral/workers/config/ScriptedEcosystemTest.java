package corral.workers.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ecosystem.config.js, .cjs and .mjs: evaluated by a real node as PM2 does, then validated as pm2.json. */
class ScriptedEcosystemTest {

    @TempDir
    Path dir;

    @Test
    void aCommonJsFileLoadsWithDirnameAndTheCallersEnvironment() throws Exception {
        Files.writeString(dir.resolve("app.js"), "");
        Path file = write("ecosystem.config.js", """
                const path = require('path');
                console.log('files may print: it is ignored');
                module.exports = {
                  apps: [{
                    name: 'web',
                    script: path.join(__dirname, 'app.js'),
                    instances: 2,
                    wait_ready: true,
                    env: { HOME_SEEN: process.env.HOME || 'none', PORT: 8081 },
                  }],
                };
                """);

        AppConfig app = load(file).apps().get(0);

        assertEquals("web", app.name());
        assertEquals(dir.resolve("app.js"), app.script());
        assertEquals(2, app.instances());
        assertEquals(OptionalInt.of(8081), app.publicPort());
        assertTrue(app.lifecycle().waitReady());
        assertEquals(System.getenv().getOrDefault("HOME", "none"), app.env().get("HOME_SEEN"));
    }

    @Test
    void anEsModuleLoadsFromItsDefaultExport() throws Exception {
        Files.writeString(dir.resolve("server.mjs"), "");
        for (String name : List.of("ecosystem.config.mjs", "ecosystem.config.cjs")) {
            String exporting = name.endsWith(".mjs") ? "export default" : "module.exports =";
            Path file = write(name, exporting + " { apps: [{ name: 'api', script: './server.mjs', env_production: { NODE_ENV: 'production' } }] };\n");

            AppConfig app = EcosystemLoader.load(file, Optional.of("production"), 4).apps().get(0);

            assertEquals(dir.resolve("server.mjs"), app.script(), name);
            assertEquals(Map.of("NODE_ENV", "production"), app.env(), name);
        }
    }

    @Test
    void aSyntaxErrorNamesTheFileAndTheLineNodeGives() throws Exception {
        Path file = write("ecosystem.config.js", """
                module.exports = {
                  apps: [{
                    name: 'web'
                    script: 'app.js',
                  }],
                };
                """);

        ConfigException failure = assertThrows(ConfigException.class, () -> load(file));

        assertEquals(List.of(file + ":4: node cannot evaluate it: SyntaxError: Unexpected identifier 'script'"),
                messages(failure));
    }

    @Test
    void anExceptionNamesTheLineItWasThrownAt() throws Exception {
        Path file = write("ecosystem.config.js", "const apps = [];\nmodule.exports = { apps: undefinedThing };\n");

        assertEquals(List.of(file + ":2: node cannot evaluate it: ReferenceError: undefinedThing is not defined"),
                messages(assertThrows(ConfigException.class, () -> load(file))));
    }

    @Test
    void whatItExportsIsValidatedExactlyAsPm2JsonWithoutLines() throws Exception {
        Files.writeString(dir.resolve("app.js"), "");
        Path file = write("ecosystem.config.js", "module.exports = { apps: [{ name: 'web', script: 'app.js', instances: 'abc', cron_restart: 'nope' }] };\n");

        List<String> errors = messages(assertThrows(ConfigException.class, () -> load(file)));

        assertTrue(errors.contains(file + ": app 'web': instances: \"abc\" is not a number, \"max\" or a negative count "
                + "(PM2 would silently use all CPUs)"), errors.toString());
    }

    @Test
    void aFileThatExportsNothingIsAnError() throws Exception {
        Path file = write("ecosystem.config.js", "const apps = [];\n");

        assertEquals(List.of(file + ": node cannot evaluate it: exports nothing, not an ecosystem "
                + "(module.exports = {apps: [...]} or export default {apps: [...]})"),
                messages(assertThrows(ConfigException.class, () -> load(file))));
    }

    private Ecosystem load(Path file) throws ConfigException {
        return EcosystemLoader.load(file, Optional.empty(), 4);
    }

    private Path write(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text);
    }

    private static List<String> messages(ConfigException e) {
        return e.errors().stream().map(ConfigProblem::message).toList();
    }
}
