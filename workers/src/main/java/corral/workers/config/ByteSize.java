package corral.workers.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.OptionalLong;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * PM2's {@code max_memory_restart}: a number of bytes, or a string {@code ^\d+(K|M|G)?$} with
 * 1024-based units. PM2 rejects lower-case units and fractions ({@code "500m"}, {@code "1.5G"});
 * so does Corral, saying what is accepted.
 */
final class ByteSize {

    private static final Pattern SIZE = Pattern.compile("(\\d+)([KMG]?)");
    private static final long KIB = 1024;
    private static final long MIB = KIB * 1024;
    private static final long GIB = MIB * 1024;
    static final String ACCEPTED = "give a number of bytes or a whole number followed by K, M or G "
            + "(upper case, 1024-based), e.g. \"500M\"";

    private ByteSize() {
    }

    static OptionalLong parse(JsonNode value, Consumer<String> invalid) {
        OptionalLong bytes = size(value, invalid);
        if (bytes.isEmpty()) {
            return bytes;
        }
        if (bytes.getAsLong() <= 0) {
            invalid.accept("is no limit at all (PM2 would restart the app at every check); "
                    + "leave max_memory_restart out for no limit");
            return OptionalLong.empty();
        }
        return bytes;
    }

    /** A size in PM2's notation, whatever its value; empty (and reported) when it is not one. */
    static OptionalLong size(JsonNode value, Consumer<String> invalid) {
        OptionalLong bytes = value.isTextual() ? parseText(value.textValue()) : Values.wholeNumber(value);
        if (bytes.isEmpty()) {
            invalid.accept("is not a size: " + ACCEPTED);
        }
        return bytes;
    }

    /** The size in PM2's own notation when it is exact ({@code 500M}), in bytes otherwise. */
    static String format(long bytes) {
        if (bytes % GIB == 0) {
            return bytes / GIB + "G";
        }
        if (bytes % MIB == 0) {
            return bytes / MIB + "M";
        }
        if (bytes % KIB == 0) {
            return bytes / KIB + "K";
        }
        return bytes + " bytes";
    }

    private static OptionalLong parseText(String text) {
        Matcher m = SIZE.matcher(text);
        if (!m.matches()) {
            return OptionalLong.empty();
        }
        try {
            long number = Long.parseLong(m.group(1));
            return OptionalLong.of(Math.multiplyExact(number, unit(m.group(2))));
        } catch (NumberFormatException | ArithmeticException tooLarge) {
            return OptionalLong.empty();
        }
    }

    private static long unit(String suffix) {
        return switch (suffix) {
            case "K" -> KIB;
            case "M" -> MIB;
            case "G" -> GIB;
            default -> 1;
        };
    }
}
