package corral.proxy.forward;

import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The access log as a file. {@link #log} only queues the record (no I/O, no lock on the request
 * path); one writer thread formats and appends the queued lines and flushes at least every
 * {@code flushEvery}. {@link #reopen()} closes and reopens the file by name, for logrotate.
 * If the writer falls more than {@code maxQueued} records behind, further records are counted in
 * {@link #dropped()} instead of growing the heap without bound.
 */
public final class FileAccessLog implements AccessLog, Closeable {
    private static final System.Logger LOG = System.getLogger("corral.accesslog");

    private final Path file;
    private final long flushEveryNanos;
    private final int maxQueued;
    private final Queue<AccessRecord> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queued = new AtomicInteger();
    private final AtomicLong dropped = new AtomicLong();
    private final Object fileLock = new Object();
    private final Thread writerThread;
    private BufferedWriter writer;
    private volatile boolean closed;

    /** Opens (appends to) {@code file} and starts the writer thread. */
    public FileAccessLog(Path file, Duration flushEvery, int maxQueued) throws IOException {
        this.file = Objects.requireNonNull(file, "file");
        this.flushEveryNanos = flushEvery.toNanos();
        this.maxQueued = maxQueued;
        this.writer = open(file);
        this.writerThread = new Thread(this::writeLoop, "access-log");
        writerThread.setDaemon(true);
        writerThread.start();
    }

    @Override
    public void log(AccessRecord record) {
        if (closed || queued.incrementAndGet() > maxQueued) {
            queued.decrementAndGet();
            dropped.incrementAndGet();
            return;
        }
        queue.add(record);
    }

    /** Writes what is queued, then closes the file and opens it again by name. */
    public void reopen() throws IOException {
        synchronized (fileLock) {
            drain();
            writer.close();
            writer = open(file);
        }
    }

    /** Writes and flushes everything queued so far (for tests and before a reopen by hand). */
    public void flush() throws IOException {
        synchronized (fileLock) {
            drain();
        }
    }

    /** Records not logged because the writer was too far behind. */
    public long dropped() {
        return dropped.get();
    }

    /** Stops the writer thread after writing everything queued, and closes the file. */
    @Override
    public void close() throws IOException {
        closed = true;
        LockSupport.unpark(writerThread);
        try {
            writerThread.join(Duration.ofSeconds(5).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (fileLock) {
            drain();
            writer.close();
        }
    }

    private void writeLoop() {
        while (!closed) {
            LockSupport.parkNanos(this, flushEveryNanos);
            try {
                flush();
            } catch (IOException | UncheckedIOException e) {
                // Logged, not thrown: the next round (or a reopen) may succeed, and requests go on.
                LOG.log(System.Logger.Level.ERROR, "cannot write access log " + file + ": " + e.getMessage());
            }
        }
    }

    // Caller holds fileLock.
    private void drain() throws IOException {
        AccessRecord record;
        boolean wrote = false;
        while ((record = queue.poll()) != null) {
            queued.decrementAndGet();
            writer.write(record.line());
            writer.write('\n');
            wrote = true;
        }
        if (wrote) {
            writer.flush();
        }
    }

    private static BufferedWriter open(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        return Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND, StandardOpenOption.WRITE);
    }
}
