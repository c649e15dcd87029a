package corral.proxy.daemon;

import corral.workers.home.HomeLayout;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * How a daemon runs: its home, the ecosystem file and vhost path it reads (again on
 * reload-conf), the {@code --env} overlay, and the daemon's own settings from
 * {@code corral.properties} beside the ecosystem file (all optional):
 * <pre>
 * bind = 0.0.0.0            # address of the apps' public listeners (vhost ones use their listen)
 * health.path = /health     # the VIP probe's path, on every listener
 * upstream.idle.ms = 4000   # idle keep-alive connections to workers are closed after this
 * </pre>
 */
public record DaemonSettings(HomeLayout home, Path conf, Path vhost, Optional<String> envName,
                             String bindAddress, String healthPath, Duration idleUpstreamTimeout) {

    /** The settings file beside an ecosystem file. */
    public static Path fileFor(Path conf) {
        return conf.toAbsolutePath().getParent().resolve("corral.properties");
    }

    /** Reads {@code corral.properties} beside {@code conf} when present; every bad line is an error. */
    public static DaemonSettings load(HomeLayout home, Path conf, Path vhost, Optional<String> envName)
            throws InvalidConfigException {
        String bind = "0.0.0.0";
        String health = "/health";
        long idleMs = 4000;
        Path file = fileFor(conf);
        List<String> errors = new ArrayList<>();
        if (Files.exists(file)) {
            List<String> lines;
            try {
                lines = Files.readAllLines(file);
            } catch (IOException e) {
                throw new InvalidConfigException(List.of(file + ": cannot read: " + e.getMessage()));
            }
            for (int n = 1; n <= lines.size(); n++) {
                String line = lines.get(n - 1).replaceFirst("#.*", "").trim();
                if (line.isEmpty()) {
                    continue;
                }
                int eq = line.indexOf('=');
                String where = file + ":" + n + ": ";
                if (eq < 0) {
                    errors.add(where + "expected 'key = value', got '" + line + "'");
                    continue;
                }
                String key = line.substring(0, eq).trim();
                String value = line.substring(eq + 1).trim();
                switch (key) {
                    case "bind" -> bind = value;
                    case "health.path" -> {
                        if (value.startsWith("/")) {
                            health = value;
                        } else {
                            errors.add(where + "health.path: '" + value + "' must start with /");
                        }
                    }
                    case "upstream.idle.ms" -> {
                        try {
                            idleMs = Long.parseLong(value);
                            if (idleMs < 100) {
                                throw new NumberFormatException();
                            }
                        } catch (NumberFormatException e) {
                            errors.add(where + "upstream.idle.ms: '" + value
                                    + "' is not a number of milliseconds >= 100 (keep it below the apps' keep-alive timeout, 5000 for Node)");
                        }
                    }
                    default -> errors.add(where + "unknown setting '" + key + "' (known: bind, health.path, upstream.idle.ms)");
                }
            }
        }
        if (!errors.isEmpty()) {
            throw new InvalidConfigException(errors);
        }
        return new DaemonSettings(home, conf, vhost, envName, bind, health, Duration.ofMillis(idleMs));
    }
}
