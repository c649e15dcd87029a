package corral.workers.proc;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Signals a worker and ends its whole process tree. Workers are started as session leaders
 * ({@code setsid}), so their pid is also their process group: a SIGKILL to the group reaches
 * children that were re-parented after their parent died, and the descendants captured before
 * the kill reach children that made a session of their own.
 */
public final class ProcessTree {

    private ProcessTree() {
    }

    /** Sends {@code signal} (e.g. "INT", "KILL") to one process; false when it is already gone. */
    public static boolean signal(long pid, String signal) {
        return runKill("-" + signal, Long.toString(pid));
    }

    /** Sends {@code signal} to every process of the group led by {@code pgid}. */
    public static boolean signalGroup(long pgid, String signal) {
        return runKill("-" + signal, "--", "-" + pgid);
    }

    /**
     * The process and its descendants with their start times, taken now: the list to SIGKILL later
     * even after the leader has exited and its children were re-parented.
     */
    public static Map<Long, Long> snapshot(long pid) {
        var pids = new ArrayList<Long>();
        pids.add(pid);
        pids.addAll(ProcFs.descendants(pid));
        var out = new LinkedHashMap<Long, Long>();
        for (long p : pids) {
            OptionalLong start = ProcFs.startTime(p);
            start.ifPresent(s -> out.put(p, s));
        }
        return out;
    }

    /**
     * SIGKILLs the group led by {@code pgid}, every process in {@code snapshot} that is still the
     * same process (pid and start time), and whatever descends from the leader now.
     */
    public static void killTree(long pgid, Map<Long, Long> snapshot) {
        var victims = new LinkedHashMap<Long, Long>(snapshot);
        victims.putAll(snapshot(pgid));
        signalGroup(pgid, "KILL");
        List<String> pids = new ArrayList<>();
        victims.forEach((pid, start) -> {
            if (ProcFs.isSameProcess(pid, start)) {
                pids.add(Long.toString(pid));
            }
        });
        if (!pids.isEmpty()) {
            var args = new ArrayList<String>();
            args.add("-KILL");
            args.addAll(pids);
            runKill(args.toArray(String[]::new));
        }
    }

    private static boolean runKill(String... args) {
        var cmd = new ArrayList<String>();
        cmd.add("kill");
        cmd.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(cmd)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            return p.waitFor() == 0;
        } catch (IOException e) {
            throw new IllegalStateException("cannot run kill(1): " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
