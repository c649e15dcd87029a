package corral.workers.proc;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One reading of {@code /proc}: every process's parent, start time, CPU time and resident memory,
 * from one {@code stat} file each. A pool's memory watch reads it once per tick for all of its
 * instances, where asking per instance and per figure would scan {@code /proc} three times per
 * instance per second (descendants for the tree, again for RSS, again for CPU).
 */
public final class ProcTable {

    private static final Path PROC = Path.of("/proc");
    private static final long PAGE_SIZE = pageSize();

    private record Entry(long parent, long startTime, long cpuNanos, long rssBytes) {
    }

    private final Map<Long, Entry> entries;
    private final Map<Long, List<Long>> children = new HashMap<>();

    private ProcTable(Map<Long, Entry> entries) {
        this.entries = entries;
        entries.forEach((pid, e) -> children.computeIfAbsent(e.parent(), p -> new ArrayList<>()).add(pid));
    }

    /** Reads every process now; a process that ends while it is read is left out. */
    public static ProcTable read() {
        Map<Long, Entry> entries = new HashMap<>();
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(PROC, p -> isPid(p.getFileName().toString()))) {
            for (Path dir : dirs) {
                try {
                    Entry e = parse(Files.readString(dir.resolve("stat")));
                    if (e != null) {
                        entries.put(Long.parseLong(dir.getFileName().toString()), e);
                    }
                } catch (IOException gone) {
                    // ended between the listing and the read
                }
            }
        } catch (IOException e) {
            return new ProcTable(Map.of());
        }
        return new ProcTable(entries);
    }

    /** The process and its descendants, each with its start time (the form {@code ProcessTree} kills). */
    public Map<Long, Long> tree(long pid) {
        Map<Long, Long> out = new LinkedHashMap<>();
        ArrayDeque<Long> todo = new ArrayDeque<>(List.of(pid));
        while (!todo.isEmpty()) {
            long p = todo.poll();
            Entry e = entries.get(p);
            if (e != null && out.putIfAbsent(p, e.startTime()) == null) {
                todo.addAll(children.getOrDefault(p, List.of()));
            }
        }
        return out;
    }

    public long rssBytes(Collection<Long> pids) {
        return pids.stream().map(entries::get).filter(e -> e != null).mapToLong(Entry::rssBytes).sum();
    }

    public long cpuNanos(Collection<Long> pids) {
        return pids.stream().map(entries::get).filter(e -> e != null).mapToLong(Entry::cpuNanos).sum();
    }

    private static boolean isPid(String name) {
        return !name.isEmpty() && name.chars().allMatch(Character::isDigit);
    }

    /** Fields 4 (ppid), 14 + 15 (utime, stime), 22 (starttime) and 24 (rss, in pages). */
    private static Entry parse(String stat) {
        String[] f = ProcFs.fieldsFromThird(stat);
        if (f.length < 22) {
            return null;
        }
        return new Entry(Long.parseLong(f[4 - 3]), Long.parseLong(f[22 - 3]),
                (Long.parseLong(f[14 - 3]) + Long.parseLong(f[15 - 3])) * ProcFs.NANOS_PER_TICK,
                Long.parseLong(f[24 - 3]) * PAGE_SIZE);
    }

    /** AT_PAGESZ (6) of the auxiliary vector: Java has no API for it; 4 KiB where it cannot be read. */
    private static long pageSize() {
        try {
            ByteBuffer auxv = ByteBuffer.wrap(Files.readAllBytes(PROC.resolve("self/auxv")))
                    .order(ByteOrder.nativeOrder());
            while (auxv.remaining() >= 16) {
                long type = auxv.getLong();
                long value = auxv.getLong();
                if (type == 6) {
                    return value;
                }
            }
        } catch (IOException | RuntimeException e) {
            // fall through
        }
        return 4096;
    }
}
