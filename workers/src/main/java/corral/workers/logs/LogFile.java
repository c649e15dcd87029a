package corral.workers.logs;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One log file that many writers may share (the pumps of a merged app log, or the access log's
 * writer). Each {@link #writeLine} appends one whole line under the file's lock, so lines from
 * different instances sharing a file never interleave. Lines are buffered, and every write to the
 * file ends at a line's end (a line longer than the buffer goes in one write of its own): a reader
 * of the file ({@code logs --follow}, {@code tail -f}, a log shipper) never sees half a line. A
 * writer calls {@link #flush} once it has copied what it had, so a worker that logs a line per
 * request costs one write per burst, not per line. {@link #reopen} closes the handle so the next
 * line opens the path anew (after logrotate moved it).
 *
 * <p>A full disk or a vanished directory never stops the writers: the lines of a write that failed
 * are dropped and counted ({@link #droppedLines()}), bytes of it that did land are cut off again
 * (a line is in the file whole or not at all), and the next flush opens the path anew, so logging
 * resumes by itself once the disk has room. The file is opened with {@code O_APPEND}: after a
 * {@code copytruncate} or a {@code > file} by hand, lines go to the new end of the file, not to the
 * old offset (which would leave a sparse file of NULs). Failure and recovery are logged once each.
 */
public final class LogFile implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger("corral.logs");
    private static final int BUFFER_BYTES = 64 * 1024;

    private final Path path;
    private final byte[] buffer = new byte[BUFFER_BYTES];
    private final AtomicLong dropped = new AtomicLong();
    private int buffered;
    private int bufferedLines;
    private FileChannel out;
    private long droppedWhenFailing = -1; // >= 0 while the file cannot be written

    public LogFile(Path path) {
        this.path = path;
    }

    public Path path() {
        return path;
    }

    /** Opens the file now (creating it), rather than at the first line: a start-up error is reported, not dropped. */
    public synchronized void open() throws IOException {
        if (out == null) {
            out = open(path);
        }
    }

    /** Lines lost because the file could not be written (disk full, directory gone), since start. */
    public long droppedLines() {
        return dropped.get();
    }

    /** Whether the last write to the file failed (lines are being dropped). */
    public synchronized boolean failing() {
        return droppedWhenFailing >= 0;
    }

    /** Appends {@code prefix}, {@code line} (without its newline) and a newline, to the buffer. */
    public void writeLine(byte[] prefix, byte[] line, int length) {
        writeLine(prefix, line, 0, length);
    }

    /** Appends {@code prefix}, {@code length} bytes of {@code bytes} from {@code offset} (a line without its newline) and a newline. */
    public synchronized void writeLine(byte[] prefix, byte[] bytes, int offset, int length) {
        int whole = prefix.length + length + 1;
        if (buffered + whole > buffer.length) {
            flush();
        }
        if (whole > buffer.length) {
            byte[] one = new byte[whole];
            System.arraycopy(prefix, 0, one, 0, prefix.length);
            System.arraycopy(bytes, offset, one, prefix.length, length);
            one[whole - 1] = '\n';
            write(one, whole, 1);
            return;
        }
        System.arraycopy(prefix, 0, buffer, buffered, prefix.length);
        System.arraycopy(bytes, offset, buffer, buffered + prefix.length, length);
        buffer[buffered + whole - 1] = '\n';
        buffered += whole;
        bufferedLines++;
    }

    /** Writes the buffered lines to the file; they are dropped (and counted) if that fails, never written twice. */
    public synchronized void flush() {
        if (buffered > 0) {
            int n = buffered;
            int lines = bufferedLines;
            buffered = 0;
            bufferedLines = 0;
            write(buffer, n, lines);
        }
    }

    private void write(byte[] bytes, int length, int lines) {
        // What landed is counted rather than the file's size read before each write: that was an
        // fstat per flush, and the pumps flush a busy worker's log hundreds of times a second.
        // write(2) either writes some bytes or fails, never both, so the count is exact.
        long landed = 0;
        try {
            if (out == null) {
                out = open(path);
            }
            ByteBuffer src = ByteBuffer.wrap(bytes, 0, length);
            while (src.hasRemaining()) {
                landed += out.write(src);
            }
            recovered();
        } catch (IOException e) {
            dropped.addAndGet(lines);
            cutPartialWrite(landed);
            closeQuietly();
            failed(e);
        }
    }

    /**
     * A write that failed half-way left part of a line at the file's end (O_APPEND): cut those
     * {@code landed} bytes, so the next line starts on its own line.
     */
    private void cutPartialWrite(long landed) {
        if (out == null || landed == 0) {
            return;
        }
        try {
            long size = out.size();
            if (size >= landed) {
                out.truncate(size - landed);
            }
        } catch (IOException ignored) {
            // The file is unusable for now; the next flush opens it anew.
        }
    }

    private void failed(IOException e) {
        if (droppedWhenFailing < 0) {
            droppedWhenFailing = dropped.get();
            LOG.log(System.Logger.Level.WARNING, path + ": cannot write (" + e.getMessage()
                    + "); lines are dropped and counted until it can be written again");
        }
    }

    private void recovered() {
        if (droppedWhenFailing >= 0) {
            LOG.log(System.Logger.Level.WARNING, path + ": writing again after " + (dropped.get() - droppedWhenFailing)
                    + " lines were dropped");
            droppedWhenFailing = -1;
        }
    }

    private static FileChannel open(Path path) throws IOException {
        Path parent = path.getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        return FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE);
    }

    /** Writes what is buffered and closes the current handle; the next line reopens the path. */
    public synchronized void reopen() throws IOException {
        close();
    }

    @Override
    public synchronized void close() throws IOException {
        flush();
        if (out != null) {
            try {
                out.close();
            } finally {
                out = null;
            }
        }
    }

    private void closeQuietly() {
        if (out != null) {
            try {
                out.close();
            } catch (IOException ignored) {
                // Already failing: the failure that brought us here is the one reported.
            } finally {
                out = null;
            }
        }
    }
}
