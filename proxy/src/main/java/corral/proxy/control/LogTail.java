package corral.proxy.control;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Reads a log file as {@code tail -n N -F} does, for {@code bin/control logs}: the last lines are
 * found by reading backwards from the end in blocks (a 10 GB log costs a few blocks, never the
 * whole file), then what is appended is read by position. It follows the path, not the open file:
 * when logrotate renames the file and the daemon reopens a new one, the old file is read to its
 * end (the daemon may still write to it until the reopen) and then the new one from its start; a
 * file truncated in place is read again from its start.
 */
final class LogTail implements Closeable {

    private static final int BLOCK = 64 * 1024;
    /** At most this much is read per poll, so a burst of output never sits in memory whole. */
    private static final int MAX_READ = 4 * 1024 * 1024;

    /** A renamed file is read until this many polls in a row found nothing new in it. */
    private static final int QUIET_POLLS = 8;

    private final Path path;
    private Opened current;
    /** The renamed file, read until it has been quiet for a while (the daemon writes to it until it reopens). */
    private Opened rotated;

    /** An open file, its identity (inode) and how far it was read; bytes of a line not yet whole. */
    private static final class Opened {
        final FileChannel channel;
        final Object key;
        long position;
        int quietPolls;
        final ByteArrayOutputStream partial = new ByteArrayOutputStream();

        Opened(FileChannel channel, Object key, long position) {
            this.channel = channel;
            this.key = key;
            this.position = position;
        }
    }

    private LogTail(Path path) {
        this.path = path;
    }

    /**
     * A tail of {@code path} positioned so that the first {@link #poll} returns its last
     * {@code lines} lines. A file that does not exist yet is read from its start once it appears.
     */
    static LogTail lastLines(Path path, int lines) throws IOException {
        LogTail tail = new LogTail(path);
        tail.current = tail.open(0);
        if (tail.current != null) {
            tail.current.position = startOfLastLines(tail.current.channel, lines);
        }
        return tail;
    }

    Path path() {
        return path;
    }

    /**
     * The whole lines appended since the last poll, oldest first; with {@code partialToo}, also a
     * last line that has no newline yet (for a one-shot print, which will not come back for it).
     */
    List<String> poll(boolean partialToo) throws IOException {
        List<String> lines = new ArrayList<>();
        if (rotated != null) {
            rotated.quietPolls = read(rotated, lines, false) == 0 ? rotated.quietPolls + 1 : 0;
            if (rotated.quietPolls >= QUIET_POLLS || partialToo) {
                flushPartial(rotated, lines, true);
                rotated.channel.close();
                rotated = null;
            }
        }
        if (current != null) {
            if (!Objects.equals(keyOf(path), current.key)) {
                // Renamed away (logrotate): read it to its end now and again until it is quiet;
                // the path is a new file.
                read(current, lines, false);
                if (rotated != null) {
                    rotated.channel.close();
                }
                rotated = current;
                current = null;
            } else {
                if (current.channel.size() < current.position) {
                    current.position = 0; // truncated in place
                    current.partial.reset();
                }
                read(current, lines, partialToo);
            }
        }
        if (current == null) {
            current = open(0);
            if (current != null) {
                read(current, lines, partialToo);
            }
        }
        return lines;
    }

    /** Reads what {@code f} has past its position (bounded), adding whole lines; returns the bytes read. */
    private static long read(Opened f, List<String> lines, boolean partialToo) throws IOException {
        long size = f.channel.size();
        long available = Math.min(size - f.position, MAX_READ);
        if (available <= 0) {
            flushPartial(f, lines, partialToo);
            return 0;
        }
        ByteBuffer buffer = ByteBuffer.allocate((int) available);
        while (buffer.hasRemaining()) {
            if (f.channel.read(buffer, f.position + buffer.position()) < 0) {
                break;
            }
        }
        byte[] bytes = buffer.array();
        int n = buffer.position();
        f.position += n;
        int start = 0;
        for (int i = 0; i < n; i++) {
            if (bytes[i] == '\n') {
                f.partial.write(bytes, start, i - start);
                lines.add(f.partial.toString(StandardCharsets.UTF_8));
                f.partial.reset();
                start = i + 1;
            }
        }
        f.partial.write(bytes, start, n - start);
        flushPartial(f, lines, partialToo);
        return n;
    }

    private static void flushPartial(Opened f, List<String> lines, boolean partialToo) {
        if (partialToo && f.partial.size() > 0) {
            lines.add(f.partial.toString(StandardCharsets.UTF_8));
            f.partial.reset();
        }
    }

    /**
     * Where the last {@code lines} lines of a file start, found by reading blocks backwards from
     * its end: a final newline ends the last line rather than starting an empty one.
     */
    static long startOfLastLines(FileChannel channel, int lines) throws IOException {
        long end = channel.size();
        if (lines <= 0 || end == 0) {
            return end;
        }
        ByteBuffer block = ByteBuffer.allocate(BLOCK);
        int newlines = 0;
        long pos = end;
        while (pos > 0) {
            int length = (int) Math.min(BLOCK, pos);
            pos -= length;
            block.clear().limit(length);
            while (block.hasRemaining() && channel.read(block, pos + block.position()) >= 0) {
                // read the whole block
            }
            for (int i = length - 1; i >= 0; i--) {
                if (block.get(i) == '\n' && pos + i != end - 1 && ++newlines == lines) {
                    return pos + i + 1;
                }
            }
        }
        return 0;
    }

    private Opened open(long position) throws IOException {
        try {
            FileChannel channel = FileChannel.open(path, StandardOpenOption.READ);
            Object key = Files.readAttributes(path, BasicFileAttributes.class).fileKey();
            return new Opened(channel, key, position);
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    private static Object keyOf(Path path) {
        try {
            return Files.readAttributes(path, BasicFileAttributes.class).fileKey();
        } catch (IOException e) {
            return null; // gone: renamed away and not recreated yet
        }
    }

    @Override
    public void close() throws IOException {
        if (current != null) {
            current.channel.close();
        }
        if (rotated != null) {
            rotated.channel.close();
        }
    }
}
