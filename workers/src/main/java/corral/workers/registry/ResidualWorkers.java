package corral.workers.registry;

import corral.workers.home.HomeLayout;
import corral.workers.proc.ProcFs;
import corral.workers.proc.ProcessTree;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Ends the workers a dead daemon left behind: every registry entry whose pid is still the same
 * process (same start time) gets its process tree SIGKILLed; a recycled pid is left alone. Then,
 * since a registry can be stale (a daemon killed while its disk was full), every process still
 * marked as a worker of this home ({@code CORRAL_HOME=<home>} and {@code CORRAL_APP}, which the
 * pool gives each worker and its children inherit) is ended with its process group too. The
 * daemon and {@code bin/control} carry {@code CORRAL_HOME} but never {@code CORRAL_APP}.
 */
public final class ResidualWorkers {

    private ResidualWorkers() {
    }

    /** Kills what is left of the registry of {@code home}, and any other worker of it; returns what was alive. */
    public static List<RegistryEntry> endAll(HomeLayout home) {
        List<RegistryEntry> ended = new ArrayList<>();
        for (RegistryEntry e : WorkerRegistry.read(home.registryFile())) {
            if (ProcFs.isSameProcess(e.pid(), e.startTime())) {
                ProcessTree.killTree(e.pid(), Map.of(e.pid(), e.startTime()));
                ended.add(e);
            }
        }
        for (long pid : ProcFs.withEnvironment(HomeLayout.ENV + "=" + home.root(), HomeLayout.APP_ENV + "=")) {
            OptionalLong start = ProcFs.startTime(pid);
            if (start.isEmpty()) {
                continue; // gone with a group killed above
            }
            if (ProcFs.processGroup(pid).orElse(-1) == pid) {
                ProcessTree.killTree(pid, Map.of(pid, start.getAsLong()));
            } else {
                ProcessTree.signal(pid, "KILL"); // not a leader: its own group may be anyone's
            }
            ended.add(new RegistryEntry("(not in the registry)", -1, pid, start.getAsLong(), 0));
        }
        return ended;
    }
}
