package corral.workers.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A loaded ecosystem file: its apps, in file order and with unique names and public ports, and
 * the warnings about what it asks for that Corral does differently or not at all.
 *
 * @param file     the file as it was given to the loader
 * @param apps     the apps, validated and resolved
 * @param warnings what the loader had to say that did not stop it
 */
public record Ecosystem(Path file, List<AppConfig> apps, List<ConfigProblem> warnings) {

    public Ecosystem {
        Objects.requireNonNull(file, "file");
        apps = List.copyOf(apps);
        warnings = List.copyOf(warnings);
    }

    /** The app of that name, if the file has one. */
    public Optional<AppConfig> app(String name) {
        return apps.stream().filter(app -> app.name().equals(name)).findFirst();
    }
}
