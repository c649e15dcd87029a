package corral.workers.logs;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One log file that many pumps may write to. Each {@link #writeLine} appends one whole line under
 * the file's lock, so lines from different instances sharing a file never interleave. Lines are
 * buffered: a pump calls {@link #flush} once it has copied all its stream had to give, so a
 * worker that logs a line per request costs one write per burst rather than one per line.
 * {@link #reopen} closes the handle so the next line opens the path anew (after logrotate moved it).
 */
public final class LogFile implements AutoCloseable {

    private static final int BUFFER_BYTES = 64 * 1024;

    private final Path path;
    private OutputStream out;

    LogFile(Path path) {
        this.path = path;
    }

    public Path path() {
        return path;
    }

    /** Appends {@code line} (without its newline) and a newline, to the buffer. */
    public synchronized void writeLine(byte[] prefix, byte[] line, int length) throws IOException {
        if (out == null) {
            Path parent = path.getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            out = new BufferedOutputStream(Files.newOutputStream(path, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND, StandardOpenOption.WRITE), BUFFER_BYTES);
        }
        out.write(prefix);
        out.write(line, 0, length);
        out.write('\n');
    }

    /** Writes what is buffered to the file. */
    public synchronized void flush() throws IOException {
        if (out != null) {
            out.flush();
        }
    }

    /** Closes the current handle; the next line reopens the path. */
    public synchronized void reopen() throws IOException {
        close();
    }

    @Override
    public synchronized void close() throws IOException {
        if (out != null) {
            out.close();
            out = null;
        }
    }
}
