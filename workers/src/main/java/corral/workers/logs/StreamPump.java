package corral.workers.logs;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * Copies one worker stream (stdout or stderr) into a {@link LogFile}, one whole line at a time.
 * Bytes are split only at '\n', so a line written in several chunks is still one line; a last line
 * without a newline is written when the stream ends. The file is flushed whenever the stream has
 * nothing more to read at once: a line reaches the file as soon as the worker is quiet, and a
 * worker that logs fast is copied a buffer at a time. A file that cannot be written (disk full)
 * drops and counts its lines ({@link LogFile}), but the pipe is still drained, or the worker
 * would block on its next write to stdout. Runs on its own daemon thread until EOF.
 */
public final class StreamPump implements Runnable {

    private static final byte[] NO_PREFIX = new byte[0];

    private final InputStream in;
    private final LogFile file;
    private final Supplier<byte[]> prefix;
    private final LineTail tail;
    private final CompletableFuture<Void> done = new CompletableFuture<>();

    /**
     * @param timestamps a per-line prefix, or null for none
     * @param tail       where the last lines are also kept, or null
     */
    public StreamPump(InputStream in, LogFile file, TimestampFormat timestamps, LineTail tail) {
        this.in = in;
        this.file = file;
        this.prefix = timestamps == null ? () -> NO_PREFIX : timestamps::prefixNow;
        this.tail = tail;
    }

    /** Starts the pump on a daemon thread named after what it copies; returns {@link #done()}. */
    public CompletableFuture<Void> start(String name) {
        Thread t = new Thread(this, name);
        t.setDaemon(true);
        t.start();
        return done;
    }

    /** Completes when the stream has ended and every line read was written. */
    public CompletableFuture<Void> done() {
        return done;
    }

    @Override
    public void run() {
        byte[] buf = new byte[8192];
        byte[] line = new byte[8192];
        int lineLength = 0;
        try (in) {
            int n;
            while ((n = in.read(buf)) > 0) {
                for (int i = 0; i < n; i++) {
                    if (buf[i] == '\n') {
                        emit(line, lineLength);
                        lineLength = 0;
                    } else {
                        if (lineLength == line.length) {
                            line = Arrays.copyOf(line, line.length * 2);
                        }
                        line[lineLength++] = buf[i];
                    }
                }
                // A short read means the pipe had nothing more: the worker is quiet for now.
                if (n < buf.length || in.available() == 0) {
                    flush();
                }
            }
        } catch (IOException e) {
            // The worker's pipe closed under us (the process died): nothing more to copy.
        } finally {
            if (lineLength > 0) {
                emit(line, lineLength);
            }
            flush();
            done.complete(null);
        }
    }

    private void emit(byte[] line, int length) {
        if (tail != null) {
            tail.add(line, length);
        }
        file.writeLine(prefix.get(), line, length);
    }

    private void flush() {
        file.flush();
    }
}
