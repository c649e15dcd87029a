package corral.proxy.files;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * What a path is, as nginx's {@code ngx_open_cached_file} tells it apart: symlinks followed
 * ({@code disable_symlinks off}, nginx's default), ENOENT, ENOTDIR and ENAMETOOLONG are
 * "missing", EACCES (a directory on the way not searchable, or a file that cannot be opened
 * for reading) is "forbidden". A stat only ({@link #test}) is what the index and try_files
 * modules do; {@link #open} also checks that the file could be read, as the static module's
 * open does.
 */
public final class FileLookup {

    /** The kinds nginx's answers depend on. */
    public enum Kind { FILE, DIRECTORY, OTHER, MISSING, FORBIDDEN, ERROR }

    /** A looked-up path: its kind, and for a file its size and mtime (epoch seconds). */
    public record Found(Kind kind, long size, long modified) {
    }

    private FileLookup() {
    }

    /**
     * The path of a byte string (the root as the configuration's bytes, the URI as decoded
     * bytes): nginx hands the bytes to the kernel, and the JVM's file names are UTF-8.
     */
    public static Path path(String bytes) {
        return Path.of(new String(bytes.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8));
    }

    /** A stat, following symlinks (nginx's test_only). */
    public static Found test(String path) {
        Path p;
        try {
            p = path(path);
        } catch (InvalidPathException e) {
            return new Found(Kind.MISSING, 0, 0); // a NUL byte: nginx's open fails the same way
        }
        try {
            BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
            Kind kind = a.isDirectory() ? Kind.DIRECTORY : a.isRegularFile() ? Kind.FILE : Kind.OTHER;
            return new Found(kind, a.size(), a.lastModifiedTime().toMillis() / 1000);
        } catch (NoSuchFileException e) {
            return new Found(Kind.MISSING, 0, 0);
        } catch (AccessDeniedException e) {
            return new Found(Kind.FORBIDDEN, 0, 0);
        } catch (FileSystemException e) {
            String reason = String.valueOf(e.getReason());
            boolean missing = reason.contains("Not a directory") || reason.contains("File name too long");
            return new Found(missing ? Kind.MISSING : Kind.ERROR, 0, 0);
        } catch (IOException e) {
            return new Found(Kind.ERROR, 0, 0);
        }
    }

    /** As nginx's static module opens the file: a file it may not read is forbidden. */
    public static Found open(String path) {
        Found found = test(path);
        if (found.kind() == Kind.FILE && !Files.isReadable(path(path))) {
            return new Found(Kind.FORBIDDEN, 0, 0);
        }
        return found;
    }
}
