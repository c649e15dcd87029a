package corral.workers.config;

import static corral.workers.config.Attribute.honoured;
import static corral.workers.config.Attribute.unsupported;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The catalogue of app attributes: every key of PM2's {@code lib/API/schema.json} plus the
 * {@code cmd}/{@code command} aliases PM2 adds in {@code Common.verifyConfs}, and Corral's own
 * extensions: {@code readiness_path}, the pool's resources ({@code cpus}, {@code cpu_quota},
 * {@code cpu_weight}, {@code memory_max}) and its limits in the proxy ({@code proxy_read_timeout},
 * {@code proxy_max_in_flight}, {@code proxy_max_queued}). It answers which attribute a key means (by any PM2 spelling), and for
 * an unknown key, which known spelling is closest. docs/pm2-compatibility.md is its prose twin.
 */
final class KnownAttributes {

    /** Keys that start with this are environment overlays selected by {@code --env <name>}. */
    static final String ENV_OVERLAY_PREFIX = "env_";

    private static final Predicate<JsonNode> ON = value -> !Values.isOff(value);
    private static final Predicate<JsonNode> FALSE = value -> value.isBoolean() && !value.booleanValue();
    private static final Predicate<JsonNode> NEVER = value -> false;
    private static final String MONITORING = "PM2.io monitoring; use Corral's metrics";

    private static final List<Attribute> ALL = List.of(
            honoured("script", "exec", "cmd", "command"),
            honoured("name"),
            honoured("cwd"),
            honoured("args"),
            honoured("exec_interpreter", "interpreter"),
            honoured("node_args", "interpreterArgs", "interpreter_args"),
            honoured("instances"),
            honoured("exec_mode"),
            honoured("env"),
            honoured("port"),
            honoured("instance_var"),
            honoured("append_env_to_name"),
            honoured("max_memory_restart"),
            honoured("kill_timeout"),
            honoured("listen_timeout"),
            honoured("min_uptime"),
            honoured("max_restarts"),
            honoured("restart_delay"),
            honoured("exp_backoff_restart_delay"),
            honoured("autorestart"),
            honoured("stop_exit_codes"),
            honoured("merge_logs", "combine_logs"),
            honoured("out_file", "out", "output", "out_log"),
            honoured("error_file", "error", "err", "err_file", "err_log"),
            honoured("disable_logs"),
            honoured("log_date_format"),
            honoured("time"),
            honoured("readiness_path"),
            honoured("wait_ready"),
            honoured("shutdown_with_message"),
            honoured("cron_restart", "cron"),
            // Corral's isolation extensions (PM2 ignores keys it does not know).
            honoured("cpus"),
            honoured("cpu_quota"),
            honoured("cpu_weight"),
            honoured("memory_max"),
            honoured("proxy_read_timeout"),
            honoured("proxy_max_in_flight"),
            honoured("proxy_max_queued"),
            // Accepted and meaningless here: nothing to warn about.
            honoured("ignore_watch"),
            honoured("watch_delay"),
            honoured("watch_options"),
            honoured("windowsHide"),
            honoured("disable_source_map_support"),
            honoured("username"),
            unsupported("watch", ON, "use bin/control reload"),
            unsupported("treekill", FALSE, "Corral always ends an instance's whole process tree"),
            unsupported("autostart", FALSE, "every app of the file is started"),
            unsupported("log_file", value -> ON.test(value) && !Values.isDiscardPath(value),
                    "Corral keeps stdout and stderr apart (out_file, error_file)", "log"),
            unsupported("log_type", ON, "lines are logged as the app writes them, not wrapped in JSON"),
            unsupported("pid_file", ON, "Corral records pids in its registry in the state dir", "pid"),
            unsupported("increment_var", ON, "each instance already gets its own PORT from Corral; "
                    + "the app's PORT is the public listener"),
            unsupported("filter_env", ON, "give the app what it needs in env"),
            unsupported("namespace", value -> ON.test(value) && !"default".equals(value.asText()),
                    "apps are addressed by name"),
            unsupported("name_prefix", ON, "the name is used as it is"),
            unsupported("uid", ON, "run the Corral daemon as the user the apps should run as", "user"),
            unsupported("gid", ON, "run the Corral daemon with the group the apps should run as"),
            unsupported("kill_retry_time", ON, "Corral watches the process tree on its own within kill_timeout"),
            unsupported("force", ON, "Corral never starts an app twice"),
            unsupported("execute_command", ON, "the script is run as given"),
            unsupported("source_map_support", ON, "add --enable-source-maps to node_args"),
            unsupported("vizion", ON, "no versioning metadata is collected"),
            unsupported("install_url", ON, "PM2 module installation"),
            unsupported("post_update", ON, "PM2.io / Keymetrics"),
            unsupported("write", ON, "PM2 internal"),
            unsupported("io", ON, MONITORING),
            unsupported("pmx", ON, MONITORING),
            unsupported("automation", ON, MONITORING),
            unsupported("trace", ON, MONITORING),
            unsupported("disable_trace", FALSE, MONITORING),
            unsupported("v8", ON, MONITORING),
            unsupported("event_loop_inspector", ON, MONITORING),
            unsupported("deep_monitoring", ON, MONITORING));

    private static final Map<String, Attribute> BY_SPELLING = indexBySpelling();

    private KnownAttributes() {
    }

    static List<Attribute> all() {
        return ALL;
    }

    /** The attribute a key means, by its name or any alias; empty for unknown keys and overlays. */
    static Optional<Attribute> byKey(String key) {
        return Optional.ofNullable(BY_SPELLING.get(key));
    }

    /** The known spelling a mistyped key most likely meant, if one is close enough. */
    static Optional<String> closest(String key) {
        return Spelling.closest(key, BY_SPELLING.keySet());
    }

    static boolean isEnvOverlay(String key) {
        return key.startsWith(ENV_OVERLAY_PREFIX) && key.length() > ENV_OVERLAY_PREFIX.length();
    }

    private static Map<String, Attribute> indexBySpelling() {
        var index = new HashMap<String, Attribute>();
        for (Attribute attribute : ALL) {
            for (String spelling : attribute.spellings()) {
                Attribute clash = index.put(spelling, attribute);
                if (clash != null) {
                    throw new IllegalStateException(spelling + " spells both " + clash.name() + " and " + attribute.name());
                }
            }
        }
        return Map.copyOf(index);
    }
}
