package corral.workers.logs;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Copies one worker stream (stdout or stderr) into a {@link LogFile}, one whole line at a time.
 * Bytes are split only at '\n', so a line written in several chunks is still one line; a last line
 * without a newline is written when the stream ends. The file is flushed whenever the stream has
 * nothing more to read at once: a line reaches the file as soon as it is read while the worker is
 * quiet, and a worker that logs fast is copied a buffer at a time. A file that cannot be written
 * (disk full) drops and counts its lines ({@link LogFile}), but the pipe is still drained, or the
 * worker would block on its next write to stdout.
 *
 * <p>It never blocks: {@link #copyAvailable} reads only what {@link InputStream#available()} says
 * is there (FIONREAD on a pipe), so one thread ({@link LogPumps}) can copy every stream of the
 * daemon; a process's pipes are not selectable in Java. A blocked {@code read} would also hold the
 * stream's lock, which the JDK's reaper takes when the process exits to save what is left in the
 * pipe and close it. The end of the stream is not seen by reading (that could block while a
 * grandchild holds the pipe): once the writer is gone ({@code ended}) and nothing is left to read,
 * every byte it wrote has been copied.
 */
public final class StreamPump {

    private static final System.Logger LOG = System.getLogger("corral.logs");
    private static final byte[] NO_PREFIX = new byte[0];

    private final InputStream in;
    private final BooleanSupplier ended;
    private final LogFile file;
    private final Supplier<byte[]> prefix;
    private final LineTail tail;
    private final CompletableFuture<Void> done = new CompletableFuture<>();
    private byte[] partial = NO_PREFIX; // the start of a line whose '\n' has not been read yet
    private int partialLength;

    /**
     * @param ended      whether the writer is gone for good (the process has exited): checked before
     *                   each look at the stream, so that what is read after it said so is all there is
     * @param timestamps a per-line prefix, or null for none
     * @param tail       where the last lines are also kept, or null
     */
    public StreamPump(InputStream in, BooleanSupplier ended, LogFile file, TimestampFormat timestamps, LineTail tail) {
        this.in = in;
        this.ended = ended;
        this.file = file;
        this.prefix = timestamps == null ? () -> NO_PREFIX : timestamps::prefixNow;
        this.tail = tail;
    }

    /** Completes when the stream has ended and every line read was written. */
    public CompletableFuture<Void> done() {
        return done;
    }

    /**
     * Copies what the stream holds now, at most {@code buf.length} bytes, without blocking.
     *
     * @return the bytes copied, or -1 once the stream has ended (its last line written, {@link #done()} completed)
     */
    int copyAvailable(byte[] buf) {
        if (done.isDone()) {
            return -1;
        }
        boolean writerGone = ended.getAsBoolean();
        int n;
        try {
            int available = in.available();
            n = available > 0 ? in.read(buf, 0, Math.min(available, buf.length)) : writerGone ? -1 : 0;
            if (n > 0) {
                split(buf, n);
                // A short read means the pipe had nothing more: the worker is quiet for now.
                if (n < buf.length || in.available() == 0) {
                    file.flush();
                }
            }
        } catch (IOException e) {
            n = -1; // the stream was closed under us: nothing more to copy
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, file.path() + ": stopped copying a worker stream", e);
            n = -1;
        }
        if (n < 0) {
            finish();
        }
        return n;
    }

    private void split(byte[] buf, int n) {
        int start = 0;
        for (int i = 0; i < n; i++) {
            if (buf[i] == '\n') {
                if (partialLength == 0) {
                    emit(buf, start, i - start);
                } else {
                    keep(buf, start, i - start);
                    emit(partial, 0, partialLength);
                    partialLength = 0;
                }
                start = i + 1;
            }
        }
        keep(buf, start, n - start);
    }

    private void keep(byte[] bytes, int offset, int length) {
        if (partialLength + length > partial.length) {
            partial = Arrays.copyOf(partial, Math.max(256, Integer.highestOneBit(partialLength + length) << 1));
        }
        System.arraycopy(bytes, offset, partial, partialLength, length);
        partialLength += length;
    }

    /** Writes the last line if it had no newline, flushes and closes the stream (its pipe's fd). */
    void finish() {
        if (done.isDone()) {
            return;
        }
        try {
            if (partialLength > 0) {
                emit(partial, 0, partialLength);
                partialLength = 0;
            }
            file.flush();
            in.close();
        } catch (IOException | RuntimeException e) {
            // Closing a pipe of a process that is gone; the lines are written.
        } finally {
            done.complete(null);
        }
    }

    private void emit(byte[] bytes, int offset, int length) {
        if (tail != null) {
            tail.add(bytes, offset, length);
        }
        file.writeLine(prefix.get(), bytes, offset, length);
    }
}
