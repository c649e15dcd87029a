package corral.proxy.control;

import java.util.Map;
import picocli.CommandLine.Command;

/** {@code bin/control kill}: stops every app and the daemon, and returns once the daemon's process is gone. */
@Command(name = "kill", customSynopsis = "kill", description = "stop every app and the daemon")
final class KillCommand extends Subcommand {

    private static final long WAIT_MS = 30_000;

    @Override
    int run() throws Exception {
        ControlContext c = context();
        long pid = c.admin.daemonPid();
        int exit = c.post("kill", Map.of());
        long deadline = System.currentTimeMillis() + WAIT_MS;
        while (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
            if (System.currentTimeMillis() > deadline) {
                c.err.println("bin/control kill: daemon pid " + pid + " still running after " + WAIT_MS / 1000 + " s");
                return ControlMain.FAILED;
            }
            Thread.sleep(50);
        }
        return exit;
    }
}
