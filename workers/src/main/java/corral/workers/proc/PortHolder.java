package corral.workers.proc;

import java.util.OptionalLong;

/** Names the process that holds a port, for "already in use" errors an operator can act on. */
public final class PortHolder {

    private PortHolder() {
    }

    public static String describe(int port) {
        OptionalLong holder = ProcFs.listenerOf(port);
        String who = holder.isPresent()
                ? "pid " + holder.getAsLong() + " (" + ProcFs.commandLine(holder.getAsLong()).orElse("?") + ")"
                : "another process (not visible to this user)";
        return "port " + port + " is already in use by " + who;
    }
}
