package corral.workers.config;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * Reads one app object into an {@link AppConfig}, attribute by attribute with PM2's meaning,
 * reporting every bad value rather than stopping at the first. An app with any error yields no
 * config, but still its name and public port, so the checks across apps see it too.
 */
final class AppReader {

    /** What one app contributed to the load. */
    record Result(Optional<String> name, JsonPointer at, Optional<Field> nameSource, OptionalInt publicPort,
            Optional<Field> portSource, Optional<AppConfig> config) {
    }

    static final long DEFAULT_MIN_UPTIME_MS = 1000;
    static final long MIN_UPTIME_FLOOR_MS = 100;
    static final int DEFAULT_MAX_RESTARTS = 16;
    static final String DEFAULT_INSTANCE_VAR = "NODE_APP_INSTANCE";
    /** What PM2 sets log_date_format to for {@code time: true}. */
    static final String TIME_FORMAT = "YYYY-MM-DDTHH:mm:ss";
    static final Path DISCARD = Path.of("/dev/null");

    private static final Pattern VARIABLE_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final Pattern EXEC_MODE = Pattern.compile("(cluster|fork)(_mode)?");

    private final LoadSettings settings;
    private final AppFields fields;
    private final Problems problems;
    private final Optional<String> name;
    private final String app;

    private AppReader(LoadSettings settings, AppFields fields, int index, Problems problems) {
        this.settings = settings;
        this.fields = fields;
        this.problems = problems;
        this.name = AppName.read(fields, "#" + (index + 1), settings.envName(), problems);
        this.app = name.orElse("#" + (index + 1));
    }

    /** Reads the app at position {@code index} (0-based) of the file. */
    static Result read(LoadSettings settings, AppFields fields, int index, Problems problems) {
        return new AppReader(settings, fields, index, problems).read();
    }

    private Result read() {
        int errorsBefore = problems.errorCount();
        warnAboutKeys();
        flag("append_env_to_name", false); // only checked here: AppName used it already
        Optional<Launch> launch = LaunchReader.read(app, fields, settings.baseDir(), problems);
        int instances = instances();
        checkExecMode();
        AppEnv env = env();
        OptionalInt publicPort = publicPort(env);
        // Built even when something is wrong already, so that every attribute gets checked.
        AppConfig built = build(launch, instances, env, publicPort);
        boolean valid = problems.errorCount() == errorsBefore && launch.isPresent();
        return new Result(name, fields.at(), fields.get("name"), publicPort,
                env.get("PORT").map(AppEnv.Variable::source), valid ? Optional.of(built) : Optional.empty());
    }

    private AppConfig build(Optional<Launch> launch, int instances, AppEnv env, OptionalInt publicPort) {
        Path cwd = launch.map(Launch::cwd).orElse(settings.baseDir());
        Optional<String> interpreter = launch.flatMap(Launch::interpreter);
        boolean logsDisabled = flag("disable_logs", false);
        long maxMemory = maxMemory();
        return new AppConfig(
                app,
                settings.file(),
                launch.map(Launch::script).orElse(cwd),
                launch.map(Launch::args).orElse(List.of()),
                cwd,
                interpreter,
                launch.map(Launch::interpreterArgs).orElse(List.of()),
                instances,
                publicPort,
                environment(env, interpreter),
                GraceTimeout.KILL.read(app, fields, env, problems),
                GraceTimeout.LISTEN.read(app, fields, env, problems),
                minUptime(),
                maxRestarts(),
                delay("restart_delay"),
                delay("exp_backoff_restart_delay"),
                flag("autorestart", true),
                stopExitCodes(),
                maxMemory,
                flag("merge_logs", false),
                logsDisabled ? Optional.of(DISCARD) : logPath("out_file", cwd),
                logsDisabled ? Optional.of(DISCARD) : logPath("error_file", cwd),
                logDateFormat(),
                instanceVar(),
                readinessPath(),
                ResourceReader.read(app, fields, settings, problems, maxMemory),
                ProxyLimitsReader.read(app, fields, problems),
                lifecycle(launch));
    }

    // --- keys -------------------------------------------------------------------------------

    private void warnAboutKeys() {
        for (Field field : fields.unknown()) {
            String hint = KnownAttributes.closest(field.label()).map(known -> "; did you mean '" + known + "'?").orElse("");
            problems.warning(app, field.pointer(), field.label(), "unknown attribute (typo?)" + hint);
        }
        for (Field field : fields.shadowed()) {
            String attribute = KnownAttributes.byKey(field.label()).orElseThrow().name();
            String winner = fields.attributes().get(attribute).label();
            problems.warning(app, field.pointer(), field.label(),
                    "is ignored: '" + winner + "', the same attribute, is also given and counts");
        }
        fields.attributes().forEach((attribute, field) -> {
            Attribute known = KnownAttributes.byKey(attribute).orElseThrow();
            if (!field.value().isNull() && known.unsupported().test(field.value())) {
                problems.warning(app, field, "is not supported by Corral and is ignored (" + known.why() + ")");
            }
        });
    }

    // --- processes --------------------------------------------------------------------------

    private int instances() {
        return fields.get("instances")
                .map(field -> InstanceCount.resolve(field.value(), settings.cpuCount(), invalid(field)))
                .orElse(OptionalInt.of(1))
                .orElse(1);
    }

    /** Cluster and fork are run alike (one process per instance); the value is only checked. */
    private void checkExecMode() {
        fields.get("exec_mode").ifPresent(field -> {
            if (!field.value().isTextual() || !EXEC_MODE.matcher(field.value().textValue()).matches()) {
                problems.error(app, field, "is not \"cluster\", \"fork\", \"cluster_mode\" or \"fork_mode\"");
            }
        });
    }

    // --- environment and ports --------------------------------------------------------------

    private AppEnv env() {
        for (String overlay : fields.overlayNames()) {
            Field field = fields.overlay(overlay).orElseThrow();
            if (!field.value().isObject() && !field.value().isNull()) {
                problems.error(app, field, "is not an object of NAME: value pairs");
            }
        }
        settings.envName().filter(env -> fields.overlay(env).isEmpty()).ifPresent(env ->
                problems.warning(app, fields.at(), "has no env_" + env + "; its env is used as it is, as in PM2"));
        return AppEnv.merge(app, fields, settings.envName(), problems);
    }

    /** The app's own PORT is its public listener, owned by the proxy; each instance gets another. */
    private OptionalInt publicPort(AppEnv env) {
        Optional<AppEnv.Variable> port = env.get("PORT");
        if (port.isEmpty()) {
            return OptionalInt.empty();
        }
        String text = port.get().text().trim();
        if (text.matches("\\d{1,5}") && Integer.parseInt(text) >= 1 && Integer.parseInt(text) <= 65535) {
            return OptionalInt.of(Integer.parseInt(text));
        }
        problems.error(app, port.get().source(), "is not a port number (1..65535); PORT is the app's public port");
        return OptionalInt.empty();
    }

    /** PM2 sets PYTHONUNBUFFERED for python interpreters, so that logs are not held back. */
    private static Map<String, String> environment(AppEnv env, Optional<String> interpreter) {
        Map<String, String> texts = env.texts();
        if (interpreter.filter(command -> command.contains("python")).isPresent()) {
            texts.putIfAbsent("PYTHONUNBUFFERED", "1");
        }
        return texts;
    }

    // --- timing and restarts ----------------------------------------------------------------

    private Duration minUptime() {
        Optional<Field> field = fields.get("min_uptime");
        if (field.isEmpty()) {
            return Duration.ofMillis(DEFAULT_MIN_UPTIME_MS);
        }
        OptionalLong ms = TimeSpan.millis(field.get().value(), invalid(field.get()));
        if (ms.isPresent() && ms.getAsLong() < MIN_UPTIME_FLOOR_MS) {
            problems.error(app, field.get(), "is under " + MIN_UPTIME_FLOOR_MS + " ms, PM2's minimum");
        }
        return Duration.ofMillis(ms.orElse(DEFAULT_MIN_UPTIME_MS));
    }

    private int maxRestarts() {
        return fields.get("max_restarts").map(field -> {
            OptionalLong count = Values.wholeNumber(field.value(), invalid(field), "is not a whole number, 0 or more");
            if (count.isPresent() && (count.getAsLong() < 0 || count.getAsLong() > Integer.MAX_VALUE)) {
                problems.error(app, field, "is not a whole number, 0 or more");
            }
            return (int) Math.max(0, Math.min(count.orElse(DEFAULT_MAX_RESTARTS), Integer.MAX_VALUE));
        }).orElse(DEFAULT_MAX_RESTARTS);
    }

    private Duration delay(String attribute) {
        return Duration.ofMillis(fields.get(attribute)
                .map(field -> Values.millis(field.value(), invalid(field)).orElse(0))
                .orElse(0L));
    }

    private List<Integer> stopExitCodes() {
        Optional<Field> field = fields.get("stop_exit_codes");
        if (field.isEmpty()) {
            return List.of();
        }
        JsonNode value = field.get().value();
        var codes = new ArrayList<Integer>();
        for (JsonNode element : value.isArray() ? value : List.of(value)) {
            OptionalLong code = Values.wholeNumber(element);
            if (code.isEmpty() || code.getAsLong() < 0 || code.getAsLong() > 255) {
                problems.error(app, field.get(), "is not an exit code (0..255) or a list of them");
                return List.of();
            }
            codes.add((int) code.getAsLong());
        }
        return codes;
    }

    private long maxMemory() {
        return fields.get("max_memory_restart")
                .map(field -> ByteSize.parse(field.value(), invalid(field)).orElse(0))
                .orElse(0L);
    }

    // --- logs -------------------------------------------------------------------------------

    /** A log path: "NULL" or /dev/null discard the stream; relative paths resolve against cwd, as in PM2. */
    private Optional<Path> logPath(String attribute, Path cwd) {
        Optional<Field> field = fields.get(attribute);
        if (field.isPresent() && Values.isDiscardPath(field.get().value())) {
            return Optional.of(DISCARD);
        }
        return field.flatMap(given -> Values.pathText(given.value(), invalid(given)))
                .filter(text -> !text.isBlank())
                .map(text -> LaunchReader.resolve(cwd, text));
    }

    private Optional<String> logDateFormat() {
        Optional<String> format = fields.get("log_date_format")
                .flatMap(field -> Values.text(field.value(), invalid(field)))
                .filter(text -> !text.isEmpty());
        if (!flag("time", false)) {
            return format;
        }
        format.filter(given -> !given.equals(TIME_FORMAT)).ifPresent(given ->
                problems.warning(app, fields.get("time").orElseThrow(), "replaces log_date_format with "
                        + TIME_FORMAT + ", as in PM2"));
        return Optional.of(TIME_FORMAT);
    }

    // --- identity ---------------------------------------------------------------------------

    private String instanceVar() {
        Optional<Field> field = fields.get("instance_var");
        if (field.isEmpty()) {
            return DEFAULT_INSTANCE_VAR;
        }
        Optional<String> name = Values.text(field.get().value(), invalid(field.get()));
        if (name.isPresent() && !VARIABLE_NAME.matcher(name.get()).matches()) {
            problems.error(app, field.get(), "is not an environment variable name (letters, digits, '_')");
        } else if (name.isPresent() && name.get().equals("PORT")) {
            problems.error(app, field.get(), "cannot be PORT: Corral gives each instance its own PORT");
        }
        return name.orElse(DEFAULT_INSTANCE_VAR);
    }

    /** Corral's extension: an HTTP path that must answer 2xx before an instance gets traffic. */
    private Optional<String> readinessPath() {
        Optional<Field> field = fields.get("readiness_path");
        Optional<String> path = field.flatMap(f -> Values.text(f.value(), invalid(f)));
        if (path.isPresent() && (!path.get().startsWith("/") || path.get().matches(".*\\s.*"))) {
            problems.error(app, field.get(), "is not a path: it must start with \"/\" and hold no spaces");
            return Optional.empty();
        }
        return path;
    }

    /**
     * {@code wait_ready} and {@code shutdown_with_message} need the IPC channel, which Corral gives
     * instances that node runs (a preload): for any other interpreter they could never work.
     */
    private Lifecycle lifecycle(Optional<Launch> launch) {
        var lifecycle = new Lifecycle(flag("wait_ready", false), flag("shutdown_with_message", false), cronRestart());
        Optional<String> interpreter = launch.flatMap(Launch::interpreter);
        if (launch.isPresent() && interpreter.filter(AppConfig::isNode).isEmpty()) {
            String runs = interpreter.map(command -> "runs " + command).orElse("runs its script directly");
            for (var asked : List.of(Map.entry("wait_ready", lifecycle.waitReady()),
                    Map.entry("shutdown_with_message", lifecycle.shutdownWithMessage()))) {
                fields.get(asked.getKey()).filter(field -> asked.getValue()).ifPresent(field -> problems.error(app,
                        field, "needs the app to run under node (its IPC channel is a node preload); this app " + runs));
            }
        }
        return lifecycle;
    }

    /** PM2 takes 0 (or "0", false) for no schedule; anything else must be a cron expression. */
    private Optional<CronSchedule> cronRestart() {
        Optional<Field> field = fields.get("cron_restart");
        if (field.isEmpty() || Values.isOff(field.get().value()) || "0".equals(field.get().value().asText())) {
            return Optional.empty();
        }
        if (!field.get().value().isTextual()) {
            problems.error(app, field.get(), "is not a cron expression (a string such as \"0 3 * * *\")");
            return Optional.empty();
        }
        try {
            return Optional.of(CronSchedule.parse(field.get().value().textValue()));
        } catch (IllegalArgumentException e) {
            problems.error(app, field.get(), "is not a cron expression: " + e.getMessage());
            return Optional.empty();
        }
    }

    // --- helpers ----------------------------------------------------------------------------

    private boolean flag(String attribute, boolean defaultValue) {
        return fields.get(attribute)
                .flatMap(field -> Values.bool(field.value(), invalid(field)))
                .orElse(defaultValue);
    }

    private Consumer<String> invalid(Field field) {
        return why -> problems.error(app, field, why);
    }
}
