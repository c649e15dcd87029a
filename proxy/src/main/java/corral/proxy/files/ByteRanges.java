package corral.proxy.files;

import java.util.ArrayList;
import java.util.List;

/**
 * A Range header read as nginx 1.22's {@code ngx_http_range_parse} reads it (max_ranges
 * unlimited): spaces allowed around the numbers, ranges past the end cut or dropped, a
 * syntax error unsatisfiable, ranges that add up to more than the file ignored (the whole
 * file is sent), as is one that starts at 0 and selects nothing.
 */
public final class ByteRanges {

    /** One range, {@code end} exclusive. */
    public record Range(long start, long end) {
    }

    /** The parse's outcome: ranges to send; or none (send all); or unsatisfiable (416). */
    public record Outcome(List<Range> ranges, boolean unsatisfiable) {

        static final Outcome WHOLE = new Outcome(List.of(), false);
        static final Outcome UNSATISFIABLE = new Outcome(List.of(), true);

        public boolean whole() {
            return ranges.isEmpty() && !unsatisfiable;
        }
    }

    private ByteRanges() {
    }

    /** {@code header} is the Range value, starting with "bytes=" (any case). */
    public static Outcome parse(String header, long length) {
        String s = header.substring(6) + "\0";
        int p = 0;
        long size = 0;
        List<Range> ranges = new ArrayList<>();
        long cutoff = Long.MAX_VALUE / 10;
        long cutlim = Long.MAX_VALUE % 10;
        for (;;) {
            long start = 0;
            long end = 0;
            boolean suffix = false;
            while (s.charAt(p) == ' ') {
                p++;
            }
            boolean open = false;
            if (s.charAt(p) != '-') {
                if (!digit(s.charAt(p))) {
                    return Outcome.UNSATISFIABLE;
                }
                while (digit(s.charAt(p))) {
                    if (start >= cutoff && (start > cutoff || s.charAt(p) - '0' > cutlim)) {
                        return Outcome.UNSATISFIABLE;
                    }
                    start = start * 10 + (s.charAt(p++) - '0');
                }
                while (s.charAt(p) == ' ') {
                    p++;
                }
                if (s.charAt(p++) != '-') {
                    return Outcome.UNSATISFIABLE;
                }
                while (s.charAt(p) == ' ') {
                    p++;
                }
                if (s.charAt(p) == ',' || s.charAt(p) == '\0') {
                    end = length;
                    open = true;
                }
            } else {
                suffix = true;
                p++;
            }
            if (!open) {
                if (!digit(s.charAt(p))) {
                    return Outcome.UNSATISFIABLE;
                }
                while (digit(s.charAt(p))) {
                    if (end >= cutoff && (end > cutoff || s.charAt(p) - '0' > cutlim)) {
                        return Outcome.UNSATISFIABLE;
                    }
                    end = end * 10 + (s.charAt(p++) - '0');
                }
                while (s.charAt(p) == ' ') {
                    p++;
                }
                if (s.charAt(p) != ',' && s.charAt(p) != '\0') {
                    return Outcome.UNSATISFIABLE;
                }
                if (suffix) {
                    start = end < length ? length - end : 0;
                    end = length - 1;
                }
                end = end >= length ? length : end + 1;
            }
            if (start < end) {
                ranges.add(new Range(start, end));
                if (size > Long.MAX_VALUE - (end - start)) {
                    return Outcome.UNSATISFIABLE;
                }
                size += end - start;
            } else if (start == 0) {
                return Outcome.WHOLE;
            }
            if (s.charAt(p++) != ',') {
                break;
            }
        }
        if (ranges.isEmpty()) {
            return Outcome.UNSATISFIABLE;
        }
        return size > length ? Outcome.WHOLE : new Outcome(List.copyOf(ranges), false);
    }

    private static boolean digit(char c) {
        return c >= '0' && c <= '9';
    }
}
