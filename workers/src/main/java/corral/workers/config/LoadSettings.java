package corral.workers.config;

import java.nio.file.Path;
import java.util.Optional;

/**
 * What every app of one load shares: the file (as given, for messages), its directory (absolute,
 * for relative paths), the {@code --env} name and the CPU count {@code instances} resolves against.
 */
record LoadSettings(Path file, Path baseDir, Optional<String> envName, int cpuCount) {
}
