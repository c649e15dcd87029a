package corral.proxy.admin;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

/**
 * Where a running daemon's admin API listens ({@code run/admin.json}): its loopback port and the
 * daemon's pid. Written once the API is up; the control client reads it to find the daemon.
 */
public record AdminEndpoint(int port, long pid) {

    private static final ObjectMapper JSON = AdminJson.MAPPER;

    public void write(Path file) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        JSON.writeValue(tmp.toFile(), this);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    public static Optional<AdminEndpoint> read(Path file) {
        try {
            return Optional.of(JSON.readValue(file.toFile(), AdminEndpoint.class));
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
