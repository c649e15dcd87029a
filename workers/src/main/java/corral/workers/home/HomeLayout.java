package corral.workers.home;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The layout of a Corral home ({@code CORRAL_HOME}): state in {@code run/}, logs in {@code log/}.
 * Everything a daemon writes lives below it, so tests and side-by-side runs with different homes
 * never see each other's workers, registry, token or logs.
 */
public record HomeLayout(Path root) {

    /** The environment variable that names the home; also handed to every worker. */
    public static final String ENV = "CORRAL_HOME";
    /** Given to every worker with {@link #ENV}: the app it serves. Together they mark a process as a worker of a home. */
    public static final String APP_ENV = "CORRAL_APP";

    public HomeLayout {
        root = root.toAbsolutePath().normalize();
    }

    /** The home from {@code CORRAL_HOME}, else {@code fallback}. */
    public static HomeLayout fromEnvironment(Map<String, String> env, Path fallback) {
        String value = env.get(ENV);
        return new HomeLayout(value == null || value.isBlank() ? fallback : Path.of(value));
    }

    public Path runDir() {
        return root.resolve("run");
    }

    public Path logDir() {
        return root.resolve("log");
    }

    /** The registry of live workers, read by a later daemon to end what a dead one left. */
    public Path registryFile() {
        return runDir().resolve("workers.json");
    }

    /** Creates {@code run/} and {@code log/} when missing. */
    public HomeLayout create() {
        try {
            Files.createDirectories(runDir());
            Files.createDirectories(logDir());
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create Corral home " + root + ": " + e.getMessage(), e);
        }
    }
}
