package corral.proxy.admin;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * The shared secret of the admin API, kept in {@code run/token} readable by its owner only
 * ({@code 0600}): whoever can read the daemon's state may control it, nobody else.
 */
public final class AdminToken {

    /** The request header that carries the token. */
    public static final String HEADER = "X-Corral-Token";

    private final String value;

    private AdminToken(String value) {
        this.value = value;
    }

    /** A fresh random token written to {@code file} with mode 0600 (replacing any old one). */
    public static AdminToken create(Path file) {
        byte[] bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        String token = HexFormat.of().formatHex(bytes);
        try {
            Files.createDirectories(file.getParent());
            Files.deleteIfExists(file);
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(file, token + "\n", StandardCharsets.US_ASCII, StandardOpenOption.TRUNCATE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write admin token " + file + ": " + e.getMessage(), e);
        }
        return new AdminToken(token);
    }

    /** The token in {@code file}. */
    public static AdminToken read(Path file) throws IOException {
        return new AdminToken(Files.readString(file, StandardCharsets.US_ASCII).trim());
    }

    public String value() {
        return value;
    }

    /** Constant-time comparison, so the answer time does not leak the token. */
    public boolean matches(String presented) {
        if (presented == null) {
            return false;
        }
        return MessageDigest.isEqual(value.getBytes(StandardCharsets.US_ASCII),
                presented.trim().getBytes(StandardCharsets.US_ASCII));
    }
}
