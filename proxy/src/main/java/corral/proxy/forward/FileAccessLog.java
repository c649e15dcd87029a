package corral.proxy.forward;

import corral.workers.logs.LogFile;
import java.io.Closeable;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The access log as a file. {@link #log} only queues the record (no I/O, no lock on the request
 * path); one writer thread formats the queued lines into a {@link LogFile}'s 64 KB buffer
 * within 20 ms of their coming, and writes the buffer out when it is full and at least every
 * {@code flushEvery} (nginx's {@code buffer=64k flush=1s}). {@link #reopen()} closes and reopens the file by name, for logrotate.
 * If the writer falls more than {@code maxQueued} records behind, further records are counted in
 * {@link #dropped()} instead of growing the heap without bound; so are lines the disk had no room
 * for, and the log resumes by itself when it has ({@link LogFile} says how).
 */
public final class FileAccessLog implements AccessLog, Closeable {
    private static final System.Logger LOG = System.getLogger("corral.accesslog");
    private static final byte[] NO_PREFIX = new byte[0];
    // The last char each charset writes as that one byte.
    private static final char ASCII_LAST = 0x7F;
    private static final char LATIN1_LAST = 0xFF;
    /**
     * How long a record waits in the queue while records come. Not the flush interval: a queue
     * drained once a second held a second of records (~22,000 at full speed), which outlived a
     * dozen young collections, were promoted and filled the old generation: a 21-25 ms full
     * collection every 2.5-3 s under load (issue 12). Drained every 20 ms, they die young.
     */
    private static final long DRAIN_EVERY_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

    private final Path file;
    private final long flushEveryNanos;
    private final int maxQueued;
    // AccessRecords (formatted by the writer) and lines already written out by a log_format (Strings).
    private final Queue<Object> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queued = new AtomicInteger();
    private final AtomicLong dropped = new AtomicLong();
    private final Object fileLock = new Object();
    private final LogFile out;
    private final Thread writerThread;
    private volatile boolean closed;
    /** The writer parks for a whole flush interval: the next record wakes it. */
    private volatile boolean idle;
    // The writer's line and its bytes, reused: a string and a byte array a line otherwise (issue 12).
    // Guarded by fileLock.
    private final StringBuilder text = new StringBuilder(256);
    private byte[] bytes = new byte[256];

    /** Opens (appends to) {@code file} and starts the writer thread. */
    public FileAccessLog(Path file, Duration flushEvery, int maxQueued) throws IOException {
        this.file = Objects.requireNonNull(file, "file");
        this.flushEveryNanos = flushEvery.toNanos();
        this.maxQueued = maxQueued;
        this.out = new LogFile(file);
        out.open(); // a file we cannot create is a start-up error, not a dropped line
        this.writerThread = new Thread(this::writeLoop, "access-log");
        writerThread.setDaemon(true);
        writerThread.start();
    }

    @Override
    public void log(AccessRecord record) {
        enqueue(record);
    }

    /** Queues a line made by a vhost's {@code log_format} (without its line end). */
    public void log(String line) {
        enqueue(line);
    }

    private void enqueue(Object lineOrRecord) {
        if (closed || queued.incrementAndGet() > maxQueued) {
            queued.decrementAndGet();
            dropped.incrementAndGet();
            return;
        }
        queue.add(lineOrRecord);
        if (idle) {
            idle = false;
            LockSupport.unpark(writerThread);
        }
    }

    /** Writes what is queued, then closes the file and opens it again by name. */
    public void reopen() throws IOException {
        synchronized (fileLock) {
            drain(true);
            out.reopen();
            out.open(); // the new file exists at once, as logrotate's next run expects (not at the next line)
        }
    }

    /** Writes and flushes everything queued so far (for tests and before a reopen by hand). */
    public void flush() {
        synchronized (fileLock) {
            drain(true);
        }
    }

    /** Records not logged: the writer was too far behind, or the disk had no room for them. */
    public long dropped() {
        return dropped.get() + out.droppedLines();
    }

    /** Whether the file cannot be written at the moment (records are being dropped). */
    public boolean failing() {
        return out.failing();
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
            drain(true);
            out.close();
        }
    }

    // A busy log is looked at every DRAIN_EVERY_NANOS; an idle one once per flushEvery, or at its
    // next record (a record queued while it turns idle waits for that one look at most).
    private void writeLoop() {
        long lastFlush = System.nanoTime();
        boolean busy = false;
        while (!closed) {
            idle = !busy;
            LockSupport.parkNanos(this, busy ? Math.min(DRAIN_EVERY_NANOS, flushEveryNanos) : flushEveryNanos);
            idle = false;
            try {
                long now = System.nanoTime();
                boolean flushDue = now - lastFlush >= flushEveryNanos;
                synchronized (fileLock) {
                    busy = drain(flushDue);
                }
                if (flushDue) {
                    lastFlush = now;
                }
            } catch (RuntimeException e) {
                // Never let the writer die: the next round may succeed, and requests go on meanwhile.
                LOG.log(System.Logger.Level.ERROR, "access log " + file + ": " + e);
            }
        }
    }

    // Caller holds fileLock. As line.toString().getBytes(charset), where every char up to
    // lastOneByte is that one byte: copied straight into the reused buffer while the line has no
    // other (the usual case), encoded by the charset as a whole otherwise.
    private void write(CharSequence line, char lastOneByte, Charset charset) {
        int n = line.length();
        byte[] b = room(n);
        for (int i = 0; i < n; i++) {
            char c = line.charAt(i);
            if (c > lastOneByte) {
                byte[] encoded = line.toString().getBytes(charset);
                out.writeLine(NO_PREFIX, encoded, encoded.length);
                return;
            }
            b[i] = (byte) c;
        }
        out.writeLine(NO_PREFIX, b, n);
    }

    private byte[] room(int length) {
        if (bytes.length < length) {
            bytes = new byte[Math.max(length, bytes.length * 2)];
        }
        return bytes;
    }

    // Caller holds fileLock. Formats what is queued into the file's buffer, and writes the buffer
    // out when {@code flush}; whether there was anything queued.
    private boolean drain(boolean flush) {
        Object queuedLine;
        boolean wrote = false;
        while ((queuedLine = queue.poll()) != null) {
            queued.decrementAndGet();
            if (queuedLine instanceof AccessRecord record) {
                text.setLength(0);
                write(record.appendLine(text), ASCII_LAST, StandardCharsets.UTF_8);
            } else {
                // A log_format line is a byte string (one char per byte), as nginx writes it; ISO_8859_1
                // writes '?' for each char (or pair) past it.
                write((String) queuedLine, LATIN1_LAST, StandardCharsets.ISO_8859_1);
            }
            wrote = true;
        }
        if (flush) {
            out.flush();
        }
        return wrote;
    }
}
