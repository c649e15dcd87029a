package corral.workers.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads Corral's resource extensions, {@code cpus}, {@code cpu_quota}, {@code cpu_weight} and {@code memory_max},
 * into {@link ResourceLimits}. A CPU set that names no CPU of this machine is an error (no
 * instance could run); one that names some CPUs this machine lacks is a warning, since the
 * kernel then runs the instances on the CPUs that exist (as {@code taskset} does).
 */
final class ResourceReader {

    static final String QUOTA_ACCEPTED = "give a whole percentage of one CPU, e.g. \"150%\" for one and a half CPUs";
    static final String WEIGHT_ACCEPTED = "give a whole number from 1 to " + ResourceLimits.MAX_WEIGHT
            + " (one busy process weighs " + ResourceLimits.WEIGHT_PER_INSTANCE + ")";
    private static final Pattern PERCENT = Pattern.compile("\\s*(\\d{1,7})\\s*%?\\s*");

    private final String app;
    private final AppFields fields;
    private final LoadSettings settings;
    private final Problems problems;

    private ResourceReader(String app, AppFields fields, LoadSettings settings, Problems problems) {
        this.app = app;
        this.fields = fields;
        this.settings = settings;
        this.problems = problems;
    }

    static ResourceLimits read(String app, AppFields fields, LoadSettings settings, Problems problems,
                               long maxMemoryRestartBytes) {
        var reader = new ResourceReader(app, fields, settings, problems);
        Optional<CpuSet> cpus = reader.cpus();
        OptionalInt quota = reader.cpuQuota(cpus);
        OptionalInt weight = reader.cpuWeight();
        long memoryMax = reader.memoryMax(maxMemoryRestartBytes);
        return new ResourceLimits(cpus, quota, weight, memoryMax);
    }

    private Optional<CpuSet> cpus() {
        Optional<Field> field = fields.get("cpus");
        if (field.isEmpty()) {
            return Optional.empty();
        }
        Optional<CpuSet> cpus = parseCpus(field.get().value(), invalid(field.get()));
        if (cpus.isEmpty()) {
            return cpus;
        }
        CpuSet machine = settings.machineCpus();
        CpuSet missing = cpus.get().minus(machine);
        if (missing.size() == cpus.get().size()) {
            problems.error(app, field.get(), "names no CPU of this machine (it has " + machine
                    + "): no instance could run");
            return Optional.empty();
        }
        if (!missing.isEmpty()) {
            problems.warning(app, field.get(), "names CPUs " + missing + " this machine does not have (it has "
                    + machine + "); instances run on " + cpus.get().intersect(machine));
        }
        return cpus;
    }

    private static Optional<CpuSet> parseCpus(JsonNode value, Consumer<String> invalid) {
        if (value.isIntegralNumber() && value.canConvertToInt() && value.intValue() >= 0) {
            return Optional.of(CpuSet.parse(Integer.toString(value.intValue())));
        }
        if (!value.isTextual()) {
            invalid.accept("is not a CPU list: " + CpuSet.ACCEPTED);
            return Optional.empty();
        }
        try {
            return Optional.of(CpuSet.parse(value.textValue()));
        } catch (IllegalArgumentException e) {
            invalid.accept(e.getMessage());
            return Optional.empty();
        }
    }

    private OptionalInt cpuQuota(Optional<CpuSet> cpus) {
        Optional<Field> field = fields.get("cpu_quota");
        if (field.isEmpty()) {
            return OptionalInt.empty();
        }
        OptionalInt percent = percent(field.get().value());
        if (percent.isEmpty() || percent.getAsInt() < 1) {
            problems.error(app, field.get(), "is not a CPU quota: " + QUOTA_ACCEPTED);
            return OptionalInt.empty();
        }
        int usable = 100 * cpus.map(set -> set.intersect(settings.machineCpus()).size()).orElse(settings.cpuCount());
        if (percent.getAsInt() > usable) {
            problems.warning(app, field.get(), "is more than the pool's " + usable / 100 + " CPU(s) can use ("
                    + usable + "%): it limits nothing");
        }
        return percent;
    }

    private OptionalInt cpuWeight() {
        Optional<Field> field = fields.get("cpu_weight");
        if (field.isEmpty()) {
            return OptionalInt.empty();
        }
        OptionalLong weight = Values.wholeNumber(field.get().value());
        if (weight.isEmpty() || weight.getAsLong() < 1 || weight.getAsLong() > ResourceLimits.MAX_WEIGHT) {
            problems.error(app, field.get(), "is not a CPU weight: " + WEIGHT_ACCEPTED);
            return OptionalInt.empty();
        }
        return OptionalInt.of((int) weight.getAsLong());
    }

    private static OptionalInt percent(JsonNode value) {
        if (value.isIntegralNumber() && value.canConvertToInt()) {
            return OptionalInt.of(value.intValue());
        }
        Matcher m = value.isTextual() ? PERCENT.matcher(value.textValue()) : null;
        return m != null && m.matches() ? OptionalInt.of(Integer.parseInt(m.group(1))) : OptionalInt.empty();
    }

    private long memoryMax(long maxMemoryRestartBytes) {
        Optional<Field> field = fields.get("memory_max");
        if (field.isEmpty()) {
            return 0;
        }
        OptionalLong bytes = ByteSize.size(field.get().value(), invalid(field.get()));
        if (bytes.isEmpty()) {
            return 0;
        }
        if (bytes.getAsLong() <= 0) {
            problems.error(app, field.get(), "is no ceiling at all; leave memory_max out for none");
            return 0;
        }
        if (maxMemoryRestartBytes > 0 && bytes.getAsLong() <= maxMemoryRestartBytes) {
            problems.warning(app, field.get(), "is not above max_memory_restart (" + ByteSize.format(maxMemoryRestartBytes)
                    + ", per instance): the kernel will kill instances of the pool before Corral can replace them "
                    + "gracefully");
        }
        return bytes.getAsLong();
    }

    private Consumer<String> invalid(Field field) {
        return why -> problems.error(app, field, why);
    }
}
