package corral.workers.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.function.Consumer;

/**
 * PM2's {@code instances}: a count, {@code "max"} or {@code 0} for one per CPU, a negative n for
 * CPUs + n (at least 1). PM2 also turns any other string into "all CPUs" ({@code parseInt("abc")
 * || 0}); a typo that silently multiplies the processes is an error here.
 */
final class InstanceCount {

    private InstanceCount() {
    }

    static OptionalInt resolve(JsonNode value, int cpuCount, Consumer<String> invalid) {
        if (value.isTextual() && "max".equals(value.textValue().trim())) {
            return OptionalInt.of(cpuCount);
        }
        OptionalLong count = Values.wholeNumber(value);
        if (count.isEmpty()) {
            invalid.accept("is not a number, \"max\" or a negative count"
                    + (value.isTextual() ? " (PM2 would silently use all CPUs)" : ""));
            return OptionalInt.empty();
        }
        return OptionalInt.of(fromCount(count.getAsLong(), cpuCount));
    }

    /** PM2's God.prepare: 0 means every CPU, -n means all but n, never fewer than one. */
    static int fromCount(long count, int cpuCount) {
        long resolved = count == 0 ? cpuCount : count < 0 ? cpuCount + count : count;
        return (int) Math.max(1, Math.min(resolved, Integer.MAX_VALUE));
    }
}
