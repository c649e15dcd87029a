package corral.proxy.rules;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** nginx's spellings of times ({@code 60}, {@code 90s}, {@code 1m30s}, {@code 500ms}) and sizes ({@code 10m}, {@code 512k}). */
final class NginxUnits {

    private static final Pattern TIME_PART = Pattern.compile("([0-9]+)(ms|y|M|w|d|h|m|s)?");

    private NginxUnits() {
    }

    /** A time as nginx reads it (seconds when no unit), or null when it is not one. */
    static Duration time(String text) {
        if (!text.matches("([0-9]+(ms|y|M|w|d|h|m|s)?)+")) {
            return null;
        }
        Duration total = Duration.ZERO;
        Matcher m = TIME_PART.matcher(text);
        while (m.find()) {
            long n = Long.parseLong(m.group(1));
            String unit = m.group(2) == null ? "s" : m.group(2);
            total = total.plus(switch (unit) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                case "d" -> Duration.ofDays(n);
                case "w" -> Duration.ofDays(7 * n);
                case "M" -> Duration.ofDays(30 * n);
                default -> Duration.ofDays(365 * n);
            });
        }
        return total;
    }

    /** A size in bytes as nginx reads it ({@code k}/{@code m}/{@code g}, either case), or -1. */
    static long size(String text) {
        if (!text.matches("[0-9]{1,15}[kKmMgG]?")) {
            return -1;
        }
        char last = text.charAt(text.length() - 1);
        long shift = switch (Character.toLowerCase(last)) {
            case 'k' -> 10;
            case 'm' -> 20;
            case 'g' -> 30;
            default -> 0;
        };
        String digits = shift == 0 ? text : text.substring(0, text.length() - 1);
        return Long.parseLong(digits) << shift;
    }
}
