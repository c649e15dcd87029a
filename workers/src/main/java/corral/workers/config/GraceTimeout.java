package corral.workers.config;

import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * {@code kill_timeout} (the grace between SIGINT and SIGKILL) and {@code listen_timeout} (the time
 * a new instance has to become ready), with PM2's "0 means the default".
 *
 * <p>Without the attribute, the matching PM2_GRACEFUL_* variable of the app's env stands in.
 * PM2 ignores those there: it reads them from its own daemon's environment, and they belong to
 * the gracefulReload that PM2 3.0 removed. But what the author meant by them is clear (the seed
 * sets {@code PM2_GRACEFUL_TIMEOUT: 1000} for a one-second grace), so Corral honours it and says
 * so in a warning.
 */
enum GraceTimeout {

    KILL("kill_timeout", "PM2_GRACEFUL_TIMEOUT", 1600, "the grace between SIGINT and SIGKILL"),
    LISTEN("listen_timeout", "PM2_GRACEFUL_LISTEN_TIMEOUT", 3000, "the time a new instance has to become ready");

    private final String attribute;
    private final String legacyVariable;
    private final long defaultMs;
    private final String meaning;

    GraceTimeout(String attribute, String legacyVariable, long defaultMs, String meaning) {
        this.attribute = attribute;
        this.legacyVariable = legacyVariable;
        this.defaultMs = defaultMs;
        this.meaning = meaning;
    }

    Duration read(String app, AppFields fields, AppEnv env, Problems problems) {
        Optional<Field> legacy = env.get(legacyVariable).map(AppEnv.Variable::source);
        Optional<Field> field = fields.get(attribute);
        if (field.isPresent()) {
            legacy.ifPresent(variable -> problems.warning(app, variable, "is deprecated in PM2 and has no "
                    + "effect there; " + attribute + " is set too, so Corral ignores it as well"));
            return fromAttribute(app, field.get(), problems);
        }
        if (legacy.isEmpty()) {
            return Duration.ofMillis(defaultMs);
        }
        OptionalLong ms = Values.millis(legacy.get().value(), why -> problems.error(app, legacy.get(), why));
        ms.ifPresent(value -> problems.warning(app, legacy.get(), "is deprecated in PM2 and has no effect there; "
                + "Corral uses it as " + attribute + " (" + meaning + "): " + value + " ms"));
        return Duration.ofMillis(ms.orElse(defaultMs));
    }

    private Duration fromAttribute(String app, Field field, Problems problems) {
        OptionalLong ms = Values.millis(field.value(), why -> problems.error(app, field, why));
        if (ms.isPresent() && ms.getAsLong() == 0) {
            problems.warning(app, field, "means the default (" + defaultMs + " ms) in PM2; so it does in Corral");
        }
        return Duration.ofMillis(ms.orElse(0) == 0 ? defaultMs : ms.getAsLong());
    }
}
