package corral.workers.cgroup;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Reading and writing cgroup interface files. A write is one {@code write(2)} to a file that must
 * exist (the kernel makes them with the directory; a missing one means the controller is not
 * enabled there), and its failure names the file and the value.
 */
final class CgroupFiles {

    private CgroupFiles() {
    }

    static void write(Path file, String value) throws IOException {
        try {
            Files.writeString(file, value, StandardCharsets.US_ASCII, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING);
        } catch (IOException e) {
            throw new IOException("cannot write \"" + value + "\" to " + file + ": " + reason(e), e);
        }
    }

    /** The words of a file such as {@code cgroup.controllers}; none when it cannot be read. */
    static Set<String> words(Path file) {
        try {
            String text = Files.readString(file, StandardCharsets.US_ASCII).trim();
            return text.isEmpty() ? Set.of() : Set.of(text.split("\\s+"));
        } catch (IOException e) {
            return Set.of();
        }
    }

    /** A file holding one number ({@code memory.current}); empty when it cannot be read. */
    static OptionalLong number(Path file) {
        try {
            return OptionalLong.of(Long.parseLong(Files.readString(file, StandardCharsets.US_ASCII).trim()));
        } catch (IOException | NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    /** The value of {@code key} in a flat keyed file such as {@code cpu.stat} ({@code usage_usec 123}). */
    static OptionalLong keyed(Path file, String key) {
        try {
            for (String line : Files.readAllLines(file, StandardCharsets.US_ASCII)) {
                String[] f = line.trim().split("\\s+");
                if (f.length == 2 && f[0].equals(key)) {
                    return OptionalLong.of(Long.parseLong(f[1]));
                }
            }
        } catch (IOException | NumberFormatException e) {
            return OptionalLong.empty();
        }
        return OptionalLong.empty();
    }

    /** Creates a cgroup directory (the kernel fills it with interface files); an existing one is reused. */
    static void create(Path dir) throws IOException {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new IOException("cannot create cgroup " + dir + ": " + reason(e), e);
        }
    }

    /** Removes cgroup directories, children first; the kernel refuses while a process is in one. */
    static void remove(List<Path> dirs) throws IOException {
        for (Path dir : dirs) {
            try {
                Files.deleteIfExists(dir);
            } catch (IOException e) {
                throw new IOException("cannot remove cgroup " + dir + ": " + reason(e), e);
            }
        }
    }

    /** Removes the empty child cgroups of {@code parent} (a dead daemon's); busy ones stay. */
    static void sweep(Path parent) {
        try (Stream<Path> children = Files.list(parent)) {
            children.filter(Files::isDirectory).forEach(child -> {
                try {
                    Files.delete(child);
                } catch (IOException busy) {
                    // a process is still in it (or it is no cgroup): leave it
                }
            });
        } catch (IOException e) {
            // nothing to sweep
        }
    }

    /** The system's word for a failure ("Permission denied", "Device or resource busy"). */
    private static String reason(IOException e) {
        if (e instanceof FileSystemException fs && fs.getReason() != null) {
            return fs.getReason();
        }
        return e.getMessage() == null ? e.toString() : e.getMessage();
    }
}
