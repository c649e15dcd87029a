package corral.workers.config;

import java.nio.file.Path;
import java.util.Optional;

/**
 * What every app of one load shares: the file (as given, for messages), its directory (absolute,
 * for relative paths), the {@code --env} name and the CPU count {@code instances} resolves against
 * (and {@code cpus} is checked against).
 */
record LoadSettings(Path file, Path baseDir, Optional<String> envName, int cpuCount) {

    /** The CPUs a {@code cpus} attribute may name: 0 to {@code cpuCount - 1}. */
    CpuSet machineCpus() {
        return CpuSet.firstN(cpuCount);
    }
}
