package corral.workers.process;

import corral.workers.config.CpuSet;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Starts an OS process for a worker. One interface so that tests can swap how processes start. */
public interface ProcessLauncher {

    /**
     * Starts {@code command} in {@code cwd} with exactly {@code env}; stdout and stderr are pipes.
     * The process must be the leader of a new process group (its pid is its pgid).
     */
    Process launch(List<String> command, Path cwd, Map<String, String> env) throws IOException;

    /**
     * Starts it as {@link #launch(List, Path, Map)} does, allowed to run only on {@code cpus}
     * (when given) from its first instruction on, so that every child it makes inherits the set.
     * A launcher that cannot pin a process refuses rather than run it unpinned.
     */
    default Process launch(List<String> command, Path cwd, Map<String, String> env, Optional<CpuSet> cpus)
            throws IOException {
        if (cpus.isPresent()) {
            throw new IOException(getClass().getSimpleName() + " cannot pin a process to CPUs " + cpus.get());
        }
        return launch(command, cwd, env);
    }
}
