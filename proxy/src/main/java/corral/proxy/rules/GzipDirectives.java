package corral.proxy.rules;

import corral.proxy.gzip.GzipSettings;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.PatternSyntaxException;

/**
 * nginx's gzip module directives at http, server and location level, into a level's
 * {@link GzipSettings} (each inherited on its own, as nginx merges them).
 */
final class GzipDirectives {

    private static final Set<String> PROXIED = Set.of("off", "expired", "no-cache", "no-store",
            "private", "no_last_modified", "no_etag", "auth", "any");

    private final Problems problems;

    GzipDirectives(Problems problems) {
        this.problems = problems;
    }

    /** The level's settings with {@code d} applied, or null when {@code d} is not a gzip directive. */
    GzipSettings compile(Directive d, GzipSettings level) {
        if (!d.name().equals("gzip") && !d.name().startsWith("gzip_")) {
            return null;
        }
        if (!problems.expectNoBlock(d) || !problems.expectArgs(d, 1, Integer.MAX_VALUE)) {
            return level;
        }
        GzipSettings s = level;
        switch (d.name()) {
            case "gzip" -> s = with(s, flag(d), null, null, null, null, null, null, null);
            case "gzip_vary" -> s = with(s, null, null, null, null, flag(d), null, null, null);
            case "gzip_types" -> {
                Set<String> types = new HashSet<>();
                d.args().forEach(t -> types.add(t.toLowerCase(Locale.ROOT)));
                s = with(s, null, types, null, null, null, null, null, null);
            }
            case "gzip_min_length" -> {
                long n = oneArg(d) ? NginxUnits.size(d.arg(0)) : -1;
                if (n < 0) {
                    problems.add(d, "invalid value \"" + d.arg(0) + "\" (a size: 20, 1k)");
                } else {
                    s = with(s, null, null, n, null, null, null, null, null);
                }
            }
            case "gzip_comp_level" -> {
                Integer level1 = oneArg(d) && d.arg(0).matches("[1-9]") ? Integer.valueOf(d.arg(0)) : null;
                if (level1 == null) {
                    problems.add(d, "invalid value \"" + d.arg(0) + "\" (1 to 9)");
                } else {
                    s = with(s, null, null, null, level1, null, null, null, null);
                }
            }
            case "gzip_proxied" -> {
                for (String v : d.args()) {
                    if (!PROXIED.contains(v)) {
                        problems.add(d, "invalid value \"" + v + "\" (expected " + PROXIED + ")");
                        return level;
                    }
                }
                s = with(s, null, null, null, null, null, Set.copyOf(d.args()), null, null);
            }
            case "gzip_disable" -> {
                List<Predicate<String>> tests = new ArrayList<>();
                for (String v : d.args()) {
                    if (v.equals("msie6")) {
                        tests.add(GzipSettings.MSIE6);
                        continue;
                    }
                    try {
                        NginxRegex regex = NginxRegex.compile(v, true);
                        tests.add(agent -> regex.exec(agent) != null);
                    } catch (PatternSyntaxException e) {
                        problems.add(d, "invalid regex \"" + v + "\": " + e.getDescription());
                        return level;
                    }
                }
                s = with(s, null, null, null, null, null, null, tests, null);
            }
            case "gzip_http_version" -> {
                if (oneArg(d) && (d.arg(0).equals("1.0") || d.arg(0).equals("1.1"))) {
                    s = with(s, null, null, null, null, null, null, null, d.arg(0).equals("1.1"));
                } else {
                    problems.add(d, "invalid value \"" + d.arg(0) + "\" (1.0 or 1.1)");
                }
            }
            case "gzip_buffers" -> problems.notice(d, "\"gzip_buffers\" is accepted, not applied:"
                    + " Corral compresses as the answer streams; the bytes are the same");
            default -> problems.add(d, "unknown directive \"" + d.name() + "\" (Corral's gzip"
                    + " directives: gzip, gzip_types, gzip_min_length, gzip_comp_level, gzip_vary,"
                    + " gzip_proxied, gzip_disable, gzip_http_version, gzip_buffers)"
                    + (d.name().equals("gzip_static") ? "; Corral serves no precompressed .gz files (gzip compresses"
                    + " a file as it is sent)" : ""));
        }
        return s;
    }

    private boolean oneArg(Directive d) {
        return problems.expectArgs(d, 1, 1);
    }

    private Boolean flag(Directive d) {
        if (!oneArg(d)) {
            return null;
        }
        if (!d.arg(0).equals("on") && !d.arg(0).equals("off")) {
            problems.add(d, "invalid value \"" + d.arg(0) + "\" (expected on or off)");
            return null;
        }
        return d.arg(0).equals("on");
    }

    private static GzipSettings with(GzipSettings s, Boolean on, Set<String> types, Long min,
                                     Integer level, Boolean vary, Set<String> proxied,
                                     List<Predicate<String>> disable, Boolean http11) {
        return s.under(new GzipSettings(on, types, min, level, vary, proxied, disable, http11));
    }
}
