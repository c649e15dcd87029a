package corral.workers.registry;

import corral.workers.proc.ProcFs;
import corral.workers.proc.ProcessTree;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Ends the workers a dead daemon left behind: every registry entry whose pid is still the same
 * process (same start time) gets its process tree SIGKILLed. A recycled pid is left alone.
 */
public final class ResidualWorkers {

    private ResidualWorkers() {
    }

    /** Kills what is left of the registry in {@code file}; returns the entries that were alive. */
    public static List<RegistryEntry> endAll(Path file) {
        List<RegistryEntry> ended = new ArrayList<>();
        for (RegistryEntry e : WorkerRegistry.read(file)) {
            if (ProcFs.isSameProcess(e.pid(), e.startTime())) {
                ProcessTree.killTree(e.pid(), Map.of(e.pid(), e.startTime()));
                ended.add(e);
            }
        }
        return ended;
    }
}
