package corral.workers.proc;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Reads what the supervisor needs from Linux's {@code /proc}: a process's start time (to tell a
 * live worker from a recycled pid), its resident memory and CPU time, its command line, its
 * children, the CPUs it may run on, its cgroups and where the cgroup file systems are mounted.
 * Every method answers "nothing" for a process that is gone rather than throwing.
 */
public final class ProcFs {

    private static final Path PROC = Path.of("/proc");
    /** USER_HZ is 100 on every Linux we run on: a tick of utime/stime is 10 ms. */
    static final long NANOS_PER_TICK = 10_000_000L;

    private ProcFs() {
    }

    /**
     * The process's start time in clock ticks since boot (field 22 of {@code /proc/<pid>/stat}).
     * Together with the pid it names one process for good: a recycled pid has another start time.
     */
    public static OptionalLong startTime(long pid) {
        return statField(pid, 22);
    }

    /** The parent pid (field 4 of stat). */
    public static OptionalLong parent(long pid) {
        return statField(pid, 4);
    }

    /** Resident set size in bytes, from {@code VmRSS} of {@code /proc/<pid>/status}. */
    public static long rssBytes(long pid) {
        for (String line : lines(PROC.resolve(Long.toString(pid)).resolve("status"))) {
            if (line.startsWith("VmRSS:")) {
                String[] parts = line.substring(6).trim().split("\\s+");
                return Long.parseLong(parts[0]) * 1024;
            }
        }
        return 0;
    }

    /**
     * Average CPU use of a process since it started, in percent of one core (what {@code ps}
     * shows as %CPU): its user + system ticks over the ticks it has existed.
     */
    public static double cpuPercentSinceStart(long pid) {
        OptionalLong utime = statField(pid, 14);
        OptionalLong stime = statField(pid, 15);
        OptionalLong start = startTime(pid);
        double uptimeSeconds;
        try {
            uptimeSeconds = Double.parseDouble(Files.readString(PROC.resolve("uptime")).split(" ")[0]);
        } catch (IOException | RuntimeException e) {
            return 0;
        }
        if (utime.isEmpty() || stime.isEmpty() || start.isEmpty()) {
            return 0;
        }
        double hz = 100; // USER_HZ is 100 on every Linux we run on
        double alive = uptimeSeconds - start.getAsLong() / hz;
        if (alive <= 0) {
            return 0;
        }
        return Math.round(1000 * (utime.getAsLong() + stime.getAsLong()) / hz / alive) / 10.0;
    }

    /** CPU time used so far (user + system) by the process itself, in nanoseconds; 0 when it is gone. */
    public static long cpuNanos(long pid) {
        OptionalLong utime = statField(pid, 14);
        OptionalLong stime = statField(pid, 15);
        if (utime.isEmpty() || stime.isEmpty()) {
            return 0;
        }
        return (utime.getAsLong() + stime.getAsLong()) * NANOS_PER_TICK;
    }

    /** The CPUs the process may run on, as the kernel lists them ({@code Cpus_allowed_list}: "0-13"). */
    public static Optional<String> cpusAllowed(long pid) {
        for (String line : lines(PROC.resolve(Long.toString(pid)).resolve("status"))) {
            if (line.startsWith("Cpus_allowed_list:")) {
                return Optional.of(line.substring("Cpus_allowed_list:".length()).trim());
            }
        }
        return Optional.empty();
    }

    /** The lines of {@code /proc/<pid>/cgroup}: {@code hierarchy-id:controllers:path}, one per hierarchy. */
    public static List<String> cgroups(long pid) {
        return lines(PROC.resolve(Long.toString(pid)).resolve("cgroup"));
    }

    /** The lines of {@code /proc/self/mountinfo}: where each file system (cgroup ones too) is mounted. */
    public static List<String> mountInfo() {
        return lines(PROC.resolve("self").resolve("mountinfo"));
    }

    /** Descendants of a process, children before grandchildren. */
    public static List<Long> descendants(long pid) {
        List<Long> out = new ArrayList<>();
        ProcessHandle.of(pid).ifPresent(h -> h.descendants().forEach(d -> out.add(d.pid())));
        return out;
    }

    /** The command line with NULs turned into spaces, or empty when the process is gone. */
    public static Optional<String> commandLine(long pid) {
        try {
            byte[] raw = Files.readAllBytes(PROC.resolve(Long.toString(pid)).resolve("cmdline"));
            String s = new String(raw, StandardCharsets.UTF_8).replace('\0', ' ').trim();
            return Optional.of(s);
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** True when the pid exists and is not a zombie. */
    public static boolean isAlive(long pid) {
        String stat = stat(pid);
        if (stat == null) {
            return false;
        }
        int close = stat.lastIndexOf(')');
        return close > 0 && close + 2 < stat.length() && stat.charAt(close + 2) != 'Z';
    }

    /** True when pid is alive and still the process that started at {@code startTime}. */
    public static boolean isSameProcess(long pid, long startTime) {
        OptionalLong now = startTime(pid);
        return now.isPresent() && now.getAsLong() == startTime && isAlive(pid);
    }

    /**
     * The pid of a process listening on TCP {@code port} (any address, IPv4 or IPv6), found through
     * the socket inode in {@code /proc/net/tcp*} and the fds of every process we may read.
     */
    public static OptionalLong listenerOf(int port) {
        Set<String> inodes = new HashSet<>();
        for (String table : List.of("tcp", "tcp6")) {
            for (String line : lines(PROC.resolve("net").resolve(table))) {
                String[] f = line.trim().split("\\s+");
                // local_address is ADDR:PORT in hex; state 0A is LISTEN; field 9 is the inode.
                if (f.length > 9 && f[3].equals("0A") && f[1].endsWith(String.format(":%04X", port))) {
                    inodes.add("socket:[" + f[9] + "]");
                }
            }
        }
        if (inodes.isEmpty()) {
            return OptionalLong.empty();
        }
        try (var procs = Files.newDirectoryStream(PROC, "[0-9]*")) {
            for (Path proc : procs) {
                try (var fds = Files.newDirectoryStream(proc.resolve("fd"))) {
                    for (Path fd : fds) {
                        if (inodes.contains(Files.readSymbolicLink(fd).toString())) {
                            return OptionalLong.of(Long.parseLong(proc.getFileName().toString()));
                        }
                    }
                } catch (IOException e) {
                    // gone, or not ours to read
                }
            }
        } catch (IOException e) {
            return OptionalLong.empty();
        }
        return OptionalLong.empty();
    }

    /** This process's soft limit of open files ({@code Max open files} in {@code /proc/self/limits}); empty if unlimited or unknown. */
    public static OptionalLong openFilesLimit() {
        for (String line : lines(PROC.resolve("self/limits"))) {
            if (line.startsWith("Max open files")) {
                String soft = line.substring("Max open files".length()).trim().split("\\s+")[0];
                return soft.matches("\\d+") ? OptionalLong.of(Long.parseLong(soft)) : OptionalLong.empty();
            }
        }
        return OptionalLong.empty();
    }

    /** How many files this process has open now (entries of {@code /proc/self/fd}). */
    public static long openFiles() {
        try (var fds = Files.list(PROC.resolve("self/fd"))) {
            return fds.count();
        } catch (IOException e) {
            return 0;
        }
    }

    /** The process group (field 5 of stat): a worker, started with setsid, leads its own. */
    public static OptionalLong processGroup(long pid) {
        return statField(pid, 5);
    }

    /**
     * The pids of live processes whose environment holds every one of {@code entries} (each a
     * whole {@code NAME=value}, or a {@code NAME=} prefix), this JVM excluded. Processes whose
     * environment cannot be read are left out.
     */
    public static List<Long> withEnvironment(String... entries) {
        long self = ProcessHandle.current().pid();
        List<Long> out = new ArrayList<>();
        ProcessHandle.allProcesses().forEach(h -> {
            if (h.pid() != self && environmentHas(h.pid(), entries)) {
                out.add(h.pid());
            }
        });
        return out;
    }

    private static boolean environmentHas(long pid, String... entries) {
        byte[] environ;
        try {
            environ = Files.readAllBytes(PROC.resolve(Long.toString(pid)).resolve("environ"));
        } catch (IOException e) {
            return false;
        }
        List<String> vars = List.of(new String(environ, StandardCharsets.UTF_8).split("\0"));
        for (String entry : entries) {
            boolean found = entry.endsWith("=")
                    ? vars.stream().anyMatch(v -> v.startsWith(entry))
                    : vars.contains(entry);
            if (!found) {
                return false;
            }
        }
        return true;
    }

    private static OptionalLong statField(long pid, int field) {
        String stat = stat(pid);
        if (stat == null) {
            return OptionalLong.empty();
        }
        String[] rest = fieldsFromThird(stat);
        int index = field - 3;
        if (index < 0 || index >= rest.length) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(Long.parseLong(rest[index]));
    }

    /** Fields 3 and on of a {@code stat} file (field n at index n - 3); empty when it is cut short. */
    static String[] fieldsFromThird(String stat) {
        // The command name (field 2) is in parentheses and may hold spaces: count from after it.
        int close = stat.lastIndexOf(')');
        return close < 0 || close + 2 > stat.length() ? new String[0] : stat.substring(close + 2).split(" ");
    }

    private static String stat(long pid) {
        try {
            return Files.readString(PROC.resolve(Long.toString(pid)).resolve("stat"));
        } catch (IOException e) {
            return null;
        }
    }

    private static List<String> lines(Path file) {
        try {
            return Files.readAllLines(file);
        } catch (IOException e) {
            return List.of();
        }
    }
}
