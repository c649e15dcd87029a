package corral.workers.config;

import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A temporary directory with a pm2.json and the scripts it names ({@code app.js} is always
 * there), loaded as the daemon loads it, on a machine with {@link #CPUS} CPUs.
 */
final class EcosystemFixture {

    static final int CPUS = 8;

    private final Path dir;

    EcosystemFixture(Path dir) {
        this.dir = dir;
        script("app.js");
    }

    Path dir() {
        return dir;
    }

    Path file() {
        return dir.resolve("pm2.json");
    }

    /** Creates a script file (and its directories) under the fixture's directory. */
    Path script(String relative) {
        try {
            Path script = dir.resolve(relative);
            Files.createDirectories(script.getParent());
            if (!Files.exists(script)) {
                Files.writeString(script, "// test script\n");
            }
            return script;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Ecosystem load(String json) throws ConfigException {
        return load(json, Optional.empty());
    }

    Ecosystem load(String json, Optional<String> env) throws ConfigException {
        return load(json, env, AppSelection.ALL);
    }

    /** Loads the apps {@code only} selects, as {@code --only} does. */
    Ecosystem load(String json, Optional<String> env, AppSelection only) throws ConfigException {
        try {
            Files.writeString(file(), json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return EcosystemLoader.load(file(), env, only, CPUS);
    }

    /** The only app of a file that must load. */
    AppConfig app(String json) throws ConfigException {
        List<AppConfig> apps = load(json).apps();
        if (apps.size() != 1) {
            throw new AssertionError("expected one app, got " + apps);
        }
        return apps.get(0);
    }

    ConfigException failure(String json) {
        return failure(json, Optional.empty());
    }

    ConfigException failure(String json, Optional<String> env) {
        return assertThrows(ConfigException.class, () -> load(json, env));
    }

    /** The messages of the errors of a file that must not load. */
    List<String> errors(String json) {
        return failure(json).errors().stream().map(ConfigProblem::message).toList();
    }

    /** The messages of the warnings of a file that must load. */
    List<String> warnings(String json) throws ConfigException {
        return load(json).warnings().stream().map(ConfigProblem::message).toList();
    }

    /** How a message about line {@code line} of the file starts. */
    String at(int line) {
        return file() + ":" + line + ": ";
    }

    /** The file of one app, 'web' running app.js, with one more attribute on line 4. */
    static String appWith(String attribute, String json) {
        return """
                {"apps": [{
                  "name": "web",
                  "script": "app.js",
                  "%s": %s
                }]}
                """.formatted(attribute, json);
    }
}
