package corral.workers.process;

import corral.workers.config.CpuSet;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Launches through {@code setsid(1)}: the worker leads its own session and process group, so
 * the supervisor can signal its whole tree, and a Ctrl-C at the daemon's terminal does not
 * reach it. The JVM's child is never a group leader, so setsid execs in place and the pid we get
 * is the worker's own. With a CPU set, setsid execs {@code taskset -c <set>} (util-linux), which
 * sets the affinity ({@code sched_setaffinity}) and execs the worker in place too: the pid is
 * still the worker's, and its children inherit the set.
 */
public final class SetsidLauncher implements ProcessLauncher {

    @Override
    public Process launch(List<String> command, Path cwd, Map<String, String> env) throws IOException {
        return launch(command, cwd, env, Optional.empty());
    }

    @Override
    public Process launch(List<String> command, Path cwd, Map<String, String> env, Optional<CpuSet> cpus)
            throws IOException {
        ProcessBuilder pb = new ProcessBuilder(commandLine(command, cpus)).directory(cwd.toFile());
        pb.environment().clear();
        pb.environment().putAll(env);
        pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        return pb.start();
    }

    /** The whole command line a worker is started with: the one place it is put together. */
    static List<String> commandLine(List<String> command, Optional<CpuSet> cpus) {
        List<String> cmd = new ArrayList<>();
        cmd.add("setsid");
        cpus.ifPresent(set -> cmd.addAll(List.of("taskset", "-c", set.toString())));
        cmd.addAll(command);
        return cmd;
    }
}
