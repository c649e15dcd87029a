package corral.workers.logs;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One log file that many pumps may write to. Each {@link #writeLine} appends one whole line under
 * the file's lock, so lines from different instances sharing a file never interleave. Lines are
 * buffered, and every write to the file ends at a line's end (a line longer than the buffer goes
 * in one write of its own): a reader of the file ({@code logs --follow}, {@code tail -f}, a log
 * shipper) never sees half a line. A pump calls {@link #flush} once it has copied all its stream
 * had to give, so a worker that logs a line per request costs one write per burst, not per line.
 * {@link #reopen} closes the handle so the next line opens the path anew (after logrotate moved it).
 */
public final class LogFile implements AutoCloseable {

    private static final int BUFFER_BYTES = 64 * 1024;

    private final Path path;
    private final byte[] buffer = new byte[BUFFER_BYTES];
    private int buffered;
    private OutputStream out;

    LogFile(Path path) {
        this.path = path;
    }

    public Path path() {
        return path;
    }

    /** Appends {@code prefix}, {@code line} (without its newline) and a newline, to the buffer. */
    public synchronized void writeLine(byte[] prefix, byte[] line, int length) throws IOException {
        int whole = prefix.length + length + 1;
        if (buffered + whole > buffer.length) {
            flush();
        }
        if (whole > buffer.length) {
            byte[] one = new byte[whole];
            System.arraycopy(prefix, 0, one, 0, prefix.length);
            System.arraycopy(line, 0, one, prefix.length, length);
            one[whole - 1] = '\n';
            write(one, whole);
            return;
        }
        System.arraycopy(prefix, 0, buffer, buffered, prefix.length);
        System.arraycopy(line, 0, buffer, buffered + prefix.length, length);
        buffer[buffered + whole - 1] = '\n';
        buffered += whole;
    }

    /** Writes the buffered lines to the file; they are dropped if that fails, never written twice. */
    public synchronized void flush() throws IOException {
        if (buffered > 0) {
            int n = buffered;
            buffered = 0;
            write(buffer, n);
        }
    }

    private void write(byte[] bytes, int length) throws IOException {
        if (out == null) {
            Path parent = path.getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            out = Files.newOutputStream(path, StandardOpenOption.CREATE, StandardOpenOption.APPEND,
                    StandardOpenOption.WRITE);
        }
        out.write(bytes, 0, length);
    }

    /** Writes what is buffered and closes the current handle; the next line reopens the path. */
    public synchronized void reopen() throws IOException {
        close();
    }

    @Override
    public synchronized void close() throws IOException {
        try {
            flush();
        } finally {
            if (out != null) {
                try {
                    out.close();
                } finally {
                    out = null;
                }
            }
        }
    }
}
