package corral.workers.logs;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One log file that many pumps may write to. Each {@link #writeLine} appends one whole line under
 * the file's lock, so lines from different instances sharing a file never interleave.
 * {@link #reopen} closes the handle so the next line opens the path anew (after logrotate moved it).
 */
public final class LogFile implements AutoCloseable {

    private final Path path;
    private OutputStream out;

    LogFile(Path path) {
        this.path = path;
    }

    public Path path() {
        return path;
    }

    /** Appends {@code line} (without its newline) and a newline; flushed at once. */
    public synchronized void writeLine(byte[] prefix, byte[] line, int length) throws IOException {
        if (out == null) {
            Path parent = path.getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            out = Files.newOutputStream(path, StandardOpenOption.CREATE, StandardOpenOption.APPEND,
                    StandardOpenOption.WRITE);
        }
        byte[] whole = new byte[prefix.length + length + 1];
        System.arraycopy(prefix, 0, whole, 0, prefix.length);
        System.arraycopy(line, 0, whole, prefix.length, length);
        whole[whole.length - 1] = '\n';
        out.write(whole);
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
