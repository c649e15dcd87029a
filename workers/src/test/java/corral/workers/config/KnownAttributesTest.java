package corral.workers.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonPointer;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** The catalogue covers PM2's whole schema, with PM2's spellings; and the file keeps its line numbers. */
class KnownAttributesTest {

    /** Every key of PM2's lib/API/schema.json (v6, 2026), except the env_ pattern. */
    private static final List<String> PM2_SCHEMA_KEYS = List.of(
            "script", "name", "name_prefix", "filter_env", "namespace", "install_url", "cwd", "args",
            "exec_interpreter", "node_args", "out_file", "error_file", "log_file", "disable_logs", "log_type",
            "log_date_format", "time", "env", "max_memory_restart", "pid_file", "restart_delay",
            "exp_backoff_restart_delay", "source_map_support", "disable_source_map_support", "wait_ready",
            "instances", "kill_timeout", "shutdown_with_message", "listen_timeout", "cron_restart", "merge_logs",
            "vizion", "autostart", "autorestart", "stop_exit_codes", "watch_delay", "watch", "ignore_watch",
            "watch_options", "min_uptime", "max_restarts", "execute_command", "exec_mode", "force",
            "append_env_to_name", "post_update", "trace", "disable_trace", "v8", "event_loop_inspector",
            "deep_monitoring", "increment_var", "instance_var", "pmx", "automation", "treekill", "port",
            "username", "uid", "gid", "windowsHide", "kill_retry_time", "write", "io");

    /** Corral's own app attributes (PM2 ignores them), documented as extensions in docs/pm2-compatibility.md. */
    private static final List<String> CORRAL_EXTENSIONS = List.of(
            "readiness_path", "cpus", "cpu_quota", "cpu_weight", "memory_max", "proxy_read_timeout", "proxy_max_in_flight",
            "proxy_max_queued");

    @Test
    void everyAttributeOfPm2sSchemaIsKnownByItsOwnName() {
        for (String key : PM2_SCHEMA_KEYS) {
            assertEquals(Optional.of(key), KnownAttributes.byKey(key).map(Attribute::name), key);
        }
        for (String key : CORRAL_EXTENSIONS) {
            assertEquals(Optional.of(key), KnownAttributes.byKey(key).map(Attribute::name), key);
        }
        assertEquals(PM2_SCHEMA_KEYS.size() + CORRAL_EXTENSIONS.size(), KnownAttributes.all().size(),
                "schema keys + Corral's extensions");
    }

    @Test
    void pm2sAliasesAndCamelCaseFormsMeanTheirAttribute() {
        assertEquals("script", KnownAttributes.byKey("exec").orElseThrow().name());
        assertEquals("script", KnownAttributes.byKey("command").orElseThrow().name());
        assertEquals("error_file", KnownAttributes.byKey("err_log").orElseThrow().name());
        assertEquals("node_args", KnownAttributes.byKey("interpreter_args").orElseThrow().name());
        assertEquals("ignore_watch", KnownAttributes.byKey("ignoreWatch").orElseThrow().name());
        assertEquals("exp_backoff_restart_delay", KnownAttributes.byKey("expBackoffRestartDelay").orElseThrow().name());
        assertEquals("v8", Attribute.camelCase("v8"));
        assertTrue(KnownAttributes.byKey("env_production").isEmpty());
        assertTrue(KnownAttributes.isEnvOverlay("env_production"));
    }

    @Test
    void spellingFindsTheClosestNameWithinAFewEdits() {
        assertEquals(Optional.of("instances"), Spelling.closest("instnaces", List.of("instances", "instance_var")));
        assertEquals(Optional.empty(), Spelling.closest("colour", List.of("instances", "name")));
        assertEquals(3, Spelling.distance("kitten", "sitting"));
    }

    @Test
    void everyValueOfTheFileKnowsItsLine() throws ConfigException {
        ParsedFile parsed = ParsedFile.parse("""
                {
                  "apps": [
                    {"name": "a"},
                    {
                      "name": "b",
                      "args": ["x",
                               "y"]
                    }
                  ]
                }""", Path.of("pm2.json"));

        assertEquals(OptionalInt.of(3), parsed.line(JsonPointer.compile("/apps/0")));
        assertEquals(OptionalInt.of(3), parsed.line(JsonPointer.compile("/apps/0/name")));
        assertEquals(OptionalInt.of(4), parsed.line(JsonPointer.compile("/apps/1")));
        assertEquals(OptionalInt.of(5), parsed.line(JsonPointer.compile("/apps/1/name")));
        assertEquals(OptionalInt.of(7), parsed.line(JsonPointer.compile("/apps/1/args/1")));
        assertEquals(OptionalInt.of(5), parsed.line(JsonPointer.compile("/apps/1/name/missing")));
    }
}
