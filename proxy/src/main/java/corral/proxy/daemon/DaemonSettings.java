package corral.proxy.daemon;

import corral.proxy.listen.ClientLimits;
import corral.proxy.status.StatusAddress;
import corral.workers.config.AppSelection;
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
 * reload-conf), the {@code --env} overlay, the apps of the file it runs ({@code --only}), and the daemon's own settings from
 * {@code corral.properties} beside the ecosystem file (all optional; read at start):
 * <pre>
 * bind = 0.0.0.0                    # address of the apps' public listeners (vhost ones use their listen)
 * health.path = /health             # the VIP probe's path, on every listener
 * upstream.idle.ms = 4000           # idle keep-alive connections to workers are closed after this
 * client.header.timeout.ms = 60000  # nginx's client_header_timeout
 * client.idle.timeout.ms = 75000    # nginx's keepalive_timeout
 * client.max.header.bytes = 16384   # a larger request head is refused (node's own limit)
 * client.max.body.bytes = 1073741824  # nginx's client_max_body_size
 * client.max.connections = auto     # per listener (nginx's worker_connections); auto: from the fd limit
 * drain.delay.ms = 0                # on SIGTERM and offline: keep serving this long while the VIP's
 *                                   # checks see the 503 (its fall x interval), then drain
 * status.listen = 127.0.0.1:8199   # /metrics and the status page, read-only; off: none
 * io.threads = auto                 # threads serving every listener (nginx's worker_processes);
 *                                   # auto: one per core, at least 2
 * </pre>
 *
 * @param ioThreads the I/O thread count {@code io.threads} gives, 0 for auto ({@link #ioThreadCount()})
 */
public record DaemonSettings(HomeLayout home, Path conf, Path vhost, Optional<String> envName, AppSelection only,
                             String bindAddress, String healthPath, Duration idleUpstreamTimeout, ClientLimits client,
                             Duration drainDelay, Optional<StatusAddress> statusListen, int ioThreads) {

    /** Every setting the file may have, with its default. */
    static final Map<String, String> DEFAULTS = Map.ofEntries(
            Map.entry("drain.delay.ms", "0"),
            Map.entry("status.listen", StatusAddress.DEFAULT),
            Map.entry("bind", "0.0.0.0"),
            Map.entry("health.path", "/health"),
            Map.entry("upstream.idle.ms", "4000"),
            Map.entry("client.header.timeout.ms", Long.toString(ClientLimits.DEFAULTS.headerTimeout().toMillis())),
            Map.entry("client.idle.timeout.ms", Long.toString(ClientLimits.DEFAULTS.idleTimeout().toMillis())),
            Map.entry("client.max.header.bytes", Integer.toString(ClientLimits.DEFAULTS.maxHeaderBytes())),
            Map.entry("client.max.body.bytes", Long.toString(ClientLimits.DEFAULTS.maxBodyBytes())),
            Map.entry("client.max.connections", "auto"),
            Map.entry("io.threads", "auto"));

    /** The settings file beside an ecosystem file. */
    public static Path fileFor(Path conf) {
        return conf.toAbsolutePath().getParent().resolve("corral.properties");
    }

    /**
     * Reads {@code corral.properties} beside {@code conf} when present; every bad line is an error
     * naming the file and line, in line order. {@code #} starts a comment at the start of a line or
     * after a blank; a setting given twice is an error.
     */
    public static DaemonSettings load(HomeLayout home, Path conf, Path vhost, Optional<String> envName,
            AppSelection only) throws InvalidConfigException {
        Path file = fileFor(conf);
        Map<String, String> values = new HashMap<>(DEFAULTS);
        Map<String, Integer> lineOf = new HashMap<>();
        List<String> errors = new ArrayList<>();
        if (Files.exists(file)) {
            List<String> lines;
            try {
                lines = Files.readAllLines(file);
            } catch (IOException e) {
                throw new InvalidConfigException(List.of(file + ": cannot read: " + e.getMessage()));
            }
            for (int n = 1; n <= lines.size(); n++) {
                String line = lines.get(n - 1).replaceFirst("(^|\\s)#.*", "").trim();
                String at = file + ":" + n + ": ";
                int eq = line.indexOf('=');
                if (line.isEmpty()) {
                    continue;
                }
                if (eq < 0) {
                    errors.add(at + "expected 'key = value', got '" + line + "'");
                    continue;
                }
                String key = line.substring(0, eq).trim();
                String value = line.substring(eq + 1).trim();
                if (!DEFAULTS.containsKey(key)) {
                    errors.add(at + "unknown setting '" + key + "' (known: "
                            + String.join(", ", DEFAULTS.keySet().stream().sorted().toList()) + ")");
                } else if (lineOf.containsKey(key)) {
                    errors.add(at + key + ": set again (first on line " + lineOf.get(key) + ")");
                } else {
                    lineOf.put(key, n);
                    String wrong = problem(key, value);
                    if (wrong != null) {
                        errors.add(at + key + ": '" + value + "' " + wrong);
                    }
                    values.put(key, value);
                }
            }
        }
        if (!errors.isEmpty()) {
            throw new InvalidConfigException(errors);
        }
        return new DaemonSettings(home, conf, vhost, envName, only, values.get("bind"), values.get("health.path"),
                Duration.ofMillis(Long.parseLong(values.get("upstream.idle.ms"))),
                new ClientLimits(Duration.ofMillis(Long.parseLong(values.get("client.header.timeout.ms"))),
                        Duration.ofMillis(Long.parseLong(values.get("client.idle.timeout.ms"))),
                        Integer.parseInt(values.get("client.max.header.bytes")),
                        Long.parseLong(values.get("client.max.body.bytes")),
                        values.get("client.max.connections").equals("auto") ? 0
                                : Integer.parseInt(values.get("client.max.connections"))),
                Duration.ofMillis(Long.parseLong(values.get("drain.delay.ms"))),
                StatusAddress.parse(values.get("status.listen")),
                values.get("io.threads").equals("auto") ? 0 : Integer.parseInt(values.get("io.threads")));
    }

    /**
     * The I/O threads the daemon runs: {@code io.threads}, or with auto one per core and at least
     * two, as nginx's {@code worker_processes auto} runs one worker per core.
     */
    public int ioThreadCount() {
        return ioThreads > 0 ? ioThreads : Math.max(2, Runtime.getRuntime().availableProcessors());
    }

    /** What is wrong with {@code value} for {@code key}, or null when nothing is. */
    private static String problem(String key, String value) {
        return switch (key) {
            case "bind" -> value.isEmpty() ? "is empty: give an address, e.g. 0.0.0.0 or 127.0.0.1" : null;
            case "health.path" -> value.startsWith("/") ? null : "must start with /";
            case "upstream.idle.ms" -> range(value, 100, Integer.MAX_VALUE, "milliseconds")
                    .map(why -> why + " (keep it below the apps' keep-alive timeout, 5000 for Node)").orElse(null);
            case "client.header.timeout.ms", "client.idle.timeout.ms" ->
                    range(value, 1, Integer.MAX_VALUE, "milliseconds").orElse(null);
            case "client.max.header.bytes" -> range(value, 1024, Integer.MAX_VALUE, "bytes").orElse(null);
            case "client.max.body.bytes" -> range(value, 1, Long.MAX_VALUE, "bytes").orElse(null);
            case "client.max.connections" -> value.equals("auto") ? null
                    : range(value, 16, 1_000_000, "connections").map(why -> why + ", or auto").orElse(null);
            case "drain.delay.ms" -> range(value, 0, 3_600_000, "milliseconds").orElse(null);
            case "status.listen" -> StatusAddress.problem(value);
            case "io.threads" -> value.equals("auto") ? null
                    : range(value, 1, 256, "threads").map(why -> why + ", or auto").orElse(null);
            default -> throw new IllegalArgumentException(key);
        };
    }

    /** Empty when {@code value} is a whole number from {@code min} to {@code max}; else why not. */
    private static Optional<String> range(String value, long min, long max, String unit) {
        try {
            long n = Long.parseLong(value);
            if (n >= min && n <= max) {
                return Optional.empty();
            }
        } catch (NumberFormatException e) {
            // said below
        }
        return Optional.of("is not a number of " + unit + " from " + min + " to " + max);
    }
}
