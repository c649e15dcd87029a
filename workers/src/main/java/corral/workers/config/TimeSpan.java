package corral.workers.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.OptionalLong;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * PM2's time with a unit, used by {@code min_uptime}: milliseconds as a number, or a string
 * {@code ^\d+(h|m|s)?$} for hours, minutes or seconds.
 */
final class TimeSpan {

    private static final Pattern SPAN = Pattern.compile("(\\d{1,12})([hms]?)");

    private TimeSpan() {
    }

    static OptionalLong millis(JsonNode value, Consumer<String> invalid) {
        OptionalLong ms = value.isTextual() ? parseText(value.textValue()) : Values.wholeNumber(value);
        if (ms.isEmpty() || ms.getAsLong() < 0) {
            invalid.accept("is not a time: give milliseconds, or a whole number followed by h, m or s, e.g. \"5s\"");
            return OptionalLong.empty();
        }
        return ms;
    }

    private static OptionalLong parseText(String text) {
        Matcher m = SPAN.matcher(text.trim());
        if (!m.matches()) {
            return OptionalLong.empty();
        }
        long number = Long.parseLong(m.group(1));
        long unit = switch (m.group(2)) {
            case "h" -> 3_600_000L;
            case "m" -> 60_000L;
            case "s" -> 1_000L;
            default -> 1L;
        };
        return OptionalLong.of(number * unit);
    }
}
