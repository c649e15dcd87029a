package corral.proxy.daemon;

import corral.proxy.listen.ClientLimits;
import corral.workers.home.HomeLayout;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * How a daemon runs: its home, the ecosystem file and vhost path it reads (again on
 * reload-conf), the {@code --env} overlay, and the daemon's own settings from
 * {@code corral.properties} beside the ecosystem file (all optional; read at start):
 * <pre>
 * bind = 0.0.0.0                    # address of the apps' public listeners (vhost ones use their listen)
 * health.path = /health             # the VIP probe's path, on every listener
 * upstream.idle.ms = 4000           # idle keep-alive connections to workers are closed after this
 * client.header.timeout.ms = 60000  # nginx's client_header_timeout
 * client.idle.timeout.ms = 75000    # nginx's keepalive_timeout
 * client.max.header.bytes = 16384   # a larger request head is refused (node's own limit)
 * client.max.body.bytes = 1073741824  # nginx's client_max_body_size
 * </pre>
 */
public record DaemonSettings(HomeLayout home, Path conf, Path vhost, Optional<String> envName,
                             String bindAddress, String healthPath, Duration idleUpstreamTimeout, ClientLimits client) {

    /** Every setting the file may have, with its default. */
    static final Map<String, String> DEFAULTS = Map.of(
            "bind", "0.0.0.0",
            "health.path", "/health",
            "upstream.idle.ms", "4000",
            "client.header.timeout.ms", Long.toString(ClientLimits.DEFAULTS.headerTimeout().toMillis()),
            "client.idle.timeout.ms", Long.toString(ClientLimits.DEFAULTS.idleTimeout().toMillis()),
            "client.max.header.bytes", Integer.toString(ClientLimits.DEFAULTS.maxHeaderBytes()),
            "client.max.body.bytes", Long.toString(ClientLimits.DEFAULTS.maxBodyBytes()));

    /** The settings file beside an ecosystem file. */
    public static Path fileFor(Path conf) {
        return conf.toAbsolutePath().getParent().resolve("corral.properties");
    }

    /** Reads {@code corral.properties} beside {@code conf} when present; every bad line is an error. */
    public static DaemonSettings load(HomeLayout home, Path conf, Path vhost, Optional<String> envName)
            throws InvalidConfigException {
        Path file = fileFor(conf);
        Map<String, String> values = new HashMap<>(DEFAULTS);
        Map<String, String> where = new HashMap<>();
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
                String at = file + ":" + n + ": ";
                int eq = line.indexOf('=');
                if (line.isEmpty()) {
                    continue;
                } else if (eq < 0) {
                    errors.add(at + "expected 'key = value', got '" + line + "'");
                    continue;
                }
                String key = line.substring(0, eq).trim();
                if (!DEFAULTS.containsKey(key)) {
                    errors.add(at + "unknown setting '" + key + "' (known: " + String.join(", ", DEFAULTS.keySet().stream().sorted().toList()) + ")");
                    continue;
                }
                values.put(key, line.substring(eq + 1).trim());
                where.put(key, at);
            }
        }
        var read = new Reader(values, where, errors);
        String health = values.get("health.path");
        if (!health.startsWith("/")) {
            errors.add(where.get("health.path") + "health.path: '" + health + "' must start with /");
        }
        long idleMs = read.number("upstream.idle.ms", 100,
                "a number of milliseconds >= 100 (keep it below the apps' keep-alive timeout, 5000 for Node)");
        long headerMs = read.number("client.header.timeout.ms", 1, "a number of milliseconds >= 1");
        long clientIdleMs = read.number("client.idle.timeout.ms", 1, "a number of milliseconds >= 1");
        long headerBytes = read.number("client.max.header.bytes", 1024, "a number of bytes >= 1024");
        long bodyBytes = read.number("client.max.body.bytes", 1, "a number of bytes >= 1");
        if (!errors.isEmpty()) {
            throw new InvalidConfigException(errors);
        }
        return new DaemonSettings(home, conf, vhost, envName, values.get("bind"), health, Duration.ofMillis(idleMs),
                new ClientLimits(Duration.ofMillis(headerMs), Duration.ofMillis(clientIdleMs), (int) headerBytes, bodyBytes));
    }

    /** Reads whole numbers, adding an error that names the line for each bad one. */
    private record Reader(Map<String, String> values, Map<String, String> where, List<String> errors) {
        /** The number under {@code key}, at least {@code min} (and a timeout or size Undertow can take). */
        long number(String key, long min, String expected) {
            String value = values.get(key);
            long max = key.endsWith(".body.bytes") ? Long.MAX_VALUE : Integer.MAX_VALUE;
            try {
                long n = Long.parseLong(value);
                if (n >= min && n <= max) {
                    return n;
                }
            } catch (NumberFormatException e) {
                // named below
            }
            errors.add(where.get(key) + key + ": '" + value + "' is not " + expected);
            return min;
        }
    }
}
