package corral.proxy.accesslog;

import corral.proxy.forward.FileAccessLog;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/**
 * The files the vhosts' {@code access_log} directives name, each open once however many
 * directives share it (a {@link FileAccessLog}: queued on the request path, written by its own
 * thread). {@link #use} opens the files a new configuration names and closes the ones it no
 * longer does; {@link #reopen} is {@code reopen-logs}. The request path reads an immutable
 * snapshot of the map.
 */
public final class AccessLogFiles implements Closeable {

    private static final System.Logger LOG = System.getLogger("corral.accesslog");
    private static final int MAX_QUEUED = 100_000;

    private volatile Map<Path, FileAccessLog> open = Map.of();

    /**
     * Opens the files of {@code targets} not open yet and closes those no target names any more.
     *
     * @throws IOException naming the file that cannot be opened (the others stay as they were)
     */
    public synchronized void use(Collection<AccessLogTarget> targets) throws IOException {
        Map<Path, Duration> wanted = new HashMap<>();
        targets.forEach(t -> wanted.merge(t.path(), t.flush(), (a, b) -> a.compareTo(b) <= 0 ? a : b));
        Map<Path, FileAccessLog> next = new HashMap<>();
        for (Map.Entry<Path, Duration> e : wanted.entrySet()) {
            FileAccessLog file = open.get(e.getKey());
            try {
                next.put(e.getKey(), file != null ? file : new FileAccessLog(e.getKey(), e.getValue(), MAX_QUEUED));
            } catch (IOException ex) {
                next.values().stream().filter(f -> !open.containsValue(f)).forEach(AccessLogFiles::closeQuietly);
                throw new IOException("access_log " + e.getKey() + ": " + ex.getMessage(), ex);
            }
        }
        Map<Path, FileAccessLog> old = open;
        open = Map.copyOf(next);
        old.forEach((path, file) -> {
            if (!next.containsKey(path)) {
                closeQuietly(file);
            }
        });
    }

    /** Queues {@code line} for {@code path}'s file; a file not open (a reload just dropped it) gets nothing. */
    public void write(Path path, String line) {
        FileAccessLog file = open.get(path);
        if (file != null) {
            file.log(line);
        }
    }

    /** Lines written so far are flushed (for tests). */
    public void flush() {
        open.values().forEach(FileAccessLog::flush);
    }

    /** Lines not logged in every file (writer too far behind, or disk full). */
    public long dropped() {
        return open.values().stream().mapToLong(FileAccessLog::dropped).sum();
    }

    /** {@code reopen-logs}: each file closed and opened again by name. */
    public synchronized void reopen() throws IOException {
        for (FileAccessLog file : open.values()) {
            file.reopen();
        }
    }

    @Override
    public synchronized void close() {
        open.values().forEach(AccessLogFiles::closeQuietly);
        open = Map.of();
    }

    private static void closeQuietly(FileAccessLog file) {
        try {
            file.close();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "closing an access log: " + e);
        }
    }
}
