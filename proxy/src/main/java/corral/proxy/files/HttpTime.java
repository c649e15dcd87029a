package corral.proxy.files;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * nginx's {@code ngx_parse_http_time}: RFC 1123 ("Sun, 06 Nov 1994 08:49:37 GMT"), RFC 850
 * ("Sunday, 06-Nov-94 08:49:37 GMT") and asctime ("Sun Nov  6 08:49:37 1994"); the weekday is
 * skipped unread, as nginx skips it. -1 for anything else; and Last-Modified's format.
 */
public final class HttpTime {

    private static final DateTimeFormatter HTTP_DATE = DateTimeFormatter
            .ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US).withZone(ZoneOffset.UTC);
    private static final Map<String, Integer> MONTHS = Map.ofEntries(Map.entry("Jan", 1),
            Map.entry("Feb", 2), Map.entry("Mar", 3), Map.entry("Apr", 4), Map.entry("May", 5),
            Map.entry("Jun", 6), Map.entry("Jul", 7), Map.entry("Aug", 8), Map.entry("Sep", 9),
            Map.entry("Oct", 10), Map.entry("Nov", 11), Map.entry("Dec", 12));

    // RFC 1123 "06 Nov 1994 08:49:37 GMT", RFC 850 "06-Nov-94 08:49:37 GMT", asctime "Nov  6 08:49:37 1994"
    private static final Pattern RFC_1123 = Pattern.compile("(\\d\\d) ([A-Z][a-z][a-z]) (\\d{4}) (\\d\\d):(\\d\\d):(\\d\\d) GMT.*");
    private static final Pattern RFC_850 = Pattern.compile("(\\d\\d)-([A-Z][a-z][a-z])-(\\d\\d) (\\d\\d):(\\d\\d):(\\d\\d) GMT.*");
    private static final Pattern ASCTIME = Pattern.compile("([A-Z][a-z][a-z]) ([ \\d]\\d) (\\d\\d):(\\d\\d):(\\d\\d) (\\d{4}).*");

    private HttpTime() {
    }

    /** The HTTP date of {@code epochSeconds}, as nginx writes Last-Modified. */
    public static String format(long epochSeconds) {
        return HTTP_DATE.format(Instant.ofEpochSecond(epochSeconds));
    }

    /** Epoch seconds, or -1 when nginx could not read it. */
    public static long parse(String value) {
        String s = value;
        int p = 0;
        while (p < s.length() && s.charAt(p) != ' ') {
            p++;
        }
        while (p < s.length() && s.charAt(p) == ' ') {
            p++;
        }
        String rest = s.substring(p);
        Matcher m;
        if ((m = RFC_1123.matcher(rest)).matches()) {
            return time(m.group(3), m.group(2), m.group(1), m.group(4), m.group(5), m.group(6), false);
        }
        if ((m = RFC_850.matcher(rest)).matches()) {
            return time(m.group(3), m.group(2), m.group(1), m.group(4), m.group(5), m.group(6), true);
        }
        if ((m = ASCTIME.matcher(rest)).matches()) {
            return time(m.group(6), m.group(1), m.group(2).trim(), m.group(3), m.group(4), m.group(5), false);
        }
        return -1;
    }

    private static long time(String y, String mon, String d, String h, String min, String sec, boolean twoDigitYear) {
        Integer month = MONTHS.get(mon);
        int year = Integer.parseInt(y);
        if (twoDigitYear) {
            year += year < 70 ? 2000 : 1900;
        }
        int day = Integer.parseInt(d);
        int hour = Integer.parseInt(h);
        int minute = Integer.parseInt(min);
        int second = Integer.parseInt(sec);
        if (month == null || hour > 23 || minute > 59 || second > 59 || day < 1 || day > 31) {
            return -1;
        }
        try {
            return LocalDateTime.of(year, month, day, hour, minute, second).toEpochSecond(ZoneOffset.UTC);
        } catch (DateTimeException e) {
            return -1;
        }
    }
}
