package corral.workers.process;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Starts an OS process for a worker. One interface so that tests can swap how processes start. */
public interface ProcessLauncher {

    /**
     * Starts {@code command} in {@code cwd} with exactly {@code env}; stdout and stderr are pipes.
     * The process must be the leader of a new process group (its pid is its pgid).
     */
    Process launch(List<String> command, Path cwd, Map<String, String> env) throws IOException;
}
