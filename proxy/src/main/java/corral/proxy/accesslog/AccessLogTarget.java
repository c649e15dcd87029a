package corral.proxy.accesslog;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * One {@code access_log PATH [FORMAT] [buffer=SIZE] [flush=TIME] [if=CONDITION]} in effect.
 *
 * @param path      the file (absolute)
 * @param format    the format, {@link LogFormat#COMBINED} when none is named
 * @param buffer    {@code buffer=} in bytes, 0 when none
 * @param flush     how long a line may wait in memory before it is written
 * @param condition {@code if=}'s value, or null: the line is written unless it is "" or "0"
 */
public record AccessLogTarget(Path path, LogFormat format, long buffer, Duration flush, LogFormat condition) {

    /** Without {@code buffer=}, nginx writes each line at once; Corral's writer thread a moment later. */
    public static final Duration UNBUFFERED_FLUSH = Duration.ofMillis(100);

    public AccessLogTarget {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(format, "format");
        Objects.requireNonNull(flush, "flush");
    }

    /** Whether this request is logged here ({@code if=}). */
    public boolean wanted(LogValues values) {
        if (condition == null) {
            return true;
        }
        String v = condition.render(values);
        return !v.isEmpty() && !v.equals("0");
    }
}
