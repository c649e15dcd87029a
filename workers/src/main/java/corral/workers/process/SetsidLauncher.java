package corral.workers.process;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Launches through {@code setsid(1)}: the worker leads its own session and process group, so
 * the supervisor can signal its whole tree, and a Ctrl-C at the daemon's terminal does not
 * reach it. The JVM's child is never a group leader, so setsid execs in place and the pid we get
 * is the worker's own.
 */
public final class SetsidLauncher implements ProcessLauncher {

    @Override
    public Process launch(List<String> command, Path cwd, Map<String, String> env) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add("setsid");
        cmd.addAll(command);
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(cwd.toFile());
        pb.environment().clear();
        pb.environment().putAll(env);
        pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        return pb.start();
    }
}
