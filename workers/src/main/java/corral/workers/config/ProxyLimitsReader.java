package corral.workers.config;

import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Reads Corral's proxy extensions, {@code proxy_read_timeout}, {@code proxy_max_in_flight} and
 * {@code proxy_max_queued}, into {@link ProxyLimits}; each one left out keeps its default.
 */
final class ProxyLimitsReader {

    private ProxyLimitsReader() {
    }

    static ProxyLimits read(String app, AppFields fields, Problems problems) {
        ProxyLimits defaults = ProxyLimits.DEFAULTS;
        Duration readTimeout = fields.get("proxy_read_timeout")
                .map(field -> readTimeout(app, field, problems))
                .orElse(defaults.readTimeout());
        int maxInFlight = count(app, fields.get("proxy_max_in_flight"), 1, problems).orElse(defaults.maxInFlight());
        int maxQueued = count(app, fields.get("proxy_max_queued"), 0, problems).orElse(defaults.maxQueued());
        return new ProxyLimits(readTimeout, maxInFlight, maxQueued);
    }

    private static Duration readTimeout(String app, Field field, Problems problems) {
        OptionalLong ms = TimeSpan.millis(field.value(), why -> problems.error(app, field, why));
        if (ms.isPresent() && ms.getAsLong() < 1) {
            problems.error(app, field, "is no time at all; give at least 1 ms (nginx's default is \"60s\")");
            return ProxyLimits.DEFAULTS.readTimeout();
        }
        return ms.isPresent() ? Duration.ofMillis(ms.getAsLong()) : ProxyLimits.DEFAULTS.readTimeout();
    }

    private static Optional<Integer> count(String app, Optional<Field> field, int min, Problems problems) {
        if (field.isEmpty()) {
            return Optional.empty();
        }
        String expected = "is not a whole number, " + min + " or more";
        OptionalLong n = Values.wholeNumber(field.get().value(), why -> problems.error(app, field.get(), why), expected);
        if (n.isPresent() && (n.getAsLong() < min || n.getAsLong() > Integer.MAX_VALUE)) {
            problems.error(app, field.get(), expected);
            return Optional.empty();
        }
        return n.isPresent() ? Optional.of((int) n.getAsLong()) : Optional.empty();
    }
}
