package corral.workers.logs;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;

/**
 * The line prefix for {@code log_date_format}. PM2 takes a dayjs pattern (e.g.
 * {@code "YYYY-MM-DD HH:mm:ss Z"}); this translates the common dayjs tokens into a
 * {@link DateTimeFormatter}. Unlike PM2, which stamps each write() chunk, Corral stamps each line.
 */
public final class TimestampFormat {

    private final DateTimeFormatter formatter;
    private final Clock clock;

    private TimestampFormat(DateTimeFormatter formatter, Clock clock) {
        this.formatter = formatter;
        this.clock = clock;
    }

    /** A formatter for a dayjs pattern; text in square brackets is copied literally, as dayjs does. */
    public static TimestampFormat ofDayjs(String pattern, Clock clock) {
        return new TimestampFormat(DateTimeFormatter.ofPattern(toJava(pattern)), clock);
    }

    /** The prefix for a line written now: the formatted time and ": ", as PM2 writes it. */
    public byte[] prefixNow() {
        return (formatter.format(ZonedDateTime.now(clock)) + ": ").getBytes(StandardCharsets.UTF_8);
    }

    static String toJava(String dayjs) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < dayjs.length()) {
            char c = dayjs.charAt(i);
            if (c == '[') {
                int end = dayjs.indexOf(']', i);
                String literal = end < 0 ? dayjs.substring(i + 1) : dayjs.substring(i + 1, end);
                out.append('\'').append(literal.replace("'", "''")).append('\'');
                i = end < 0 ? dayjs.length() : end + 1;
                continue;
            }
            int run = 1;
            while (i + run < dayjs.length() && dayjs.charAt(i + run) == c) {
                run++;
            }
            out.append(token(c, run));
            i += run;
        }
        return out.toString();
    }

    private static String token(char c, int run) {
        String same = String.valueOf(c).repeat(run);
        return switch (c) {
            case 'Y' -> run == 2 ? "yy" : "yyyy";
            case 'M', 'H', 'h', 'm', 's', 'S' -> same;
            case 'D' -> run == 1 ? "d" : "dd";
            case 'd' -> run >= 4 ? "EEEE" : run == 3 ? "EEE" : "e";
            case 'A', 'a' -> "a";
            case 'Z' -> run == 1 ? "xxx" : "xx";
            default -> Character.isLetter(c) ? "'" + same + "'" : same.replace("'", "''");
        };
    }
}
