package corral.proxy.badinput;

import corral.proxy.install.CorralInstall;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What the instances received, from their own logs: the sample app writes one line per request
 * ({@code <time> pid=<pid> inst=<n> <method> <url> <status> rid=<id>}), so a marker in a request's
 * target counts the requests that reached an instance with it.
 */
final class InstanceLogs {

    private InstanceLogs() {
    }

    /** Every instance's stdout log of a packaged Corral, as one text. */
    static String of(CorralInstall corral) throws IOException {
        StringBuilder all = new StringBuilder();
        try (Stream<Path> files = Files.list(corral.logDir())) {
            for (Path f : files.filter(p -> p.getFileName().toString().matches(".+-out-\\d+\\.log")).toList()) {
                all.append(Files.readString(f, StandardCharsets.ISO_8859_1));
            }
        }
        return all.toString();
    }

    /** How often {@code marker} stands in {@code text} as a whole word (not as the start of a longer marker). */
    static long count(String text, String marker) {
        Matcher m = Pattern.compile(Pattern.quote(marker) + "(?![\\w.-])").matcher(text);
        long n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }
}
