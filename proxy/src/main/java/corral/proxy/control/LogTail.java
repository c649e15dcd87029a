package corral.proxy.control;

import java.io.IOException;
import java.io.PrintStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code bin/control logs <app>}: the last lines of each of the app's log files (per instance or
 * merged, out and error), then, with {@code --follow}, new lines as they come, like pm2 logs.
 * Reads the files directly: it works whether or not a daemon runs.
 */
final class LogTail {

    private LogTail() {
    }

    static int print(Path logDir, String app, int lines, boolean follow, PrintStream out, PrintStream err)
            throws IOException, InterruptedException {
        List<Path> files = filesOf(logDir, app);
        if (files.isEmpty()) {
            err.println("bin/control logs: no log files for app '" + app + "' in " + logDir);
            return ControlMain.FAILED;
        }
        Map<Path, Long> offsets = new HashMap<>();
        for (Path f : files) {
            out.println("==> " + f + " <==");
            List<String> all = Files.readAllLines(f, StandardCharsets.UTF_8);
            all.subList(Math.max(0, all.size() - lines), all.size()).forEach(out::println);
            offsets.put(f, Files.size(f));
        }
        while (follow) {
            Thread.sleep(250);
            for (Path f : filesOf(logDir, app)) {
                long size = Files.size(f);
                long from = offsets.getOrDefault(f, 0L);
                if (size < from) {
                    from = 0; // rotated or truncated
                }
                if (size > from) {
                    try (RandomAccessFile r = new RandomAccessFile(f.toFile(), "r")) {
                        r.seek(from);
                        byte[] bytes = new byte[(int) (size - from)];
                        r.readFully(bytes);
                        String prefix = f.getFileName() + " | ";
                        for (String line : new String(bytes, StandardCharsets.UTF_8).split("\n")) {
                            out.println(prefix + line);
                        }
                    }
                }
                offsets.put(f, size);
            }
        }
        return ControlMain.OK;
    }

    private static List<Path> filesOf(Path logDir, String app) throws IOException {
        List<Path> out = new ArrayList<>();
        if (!Files.isDirectory(logDir)) {
            return out;
        }
        try (DirectoryStream<Path> d = Files.newDirectoryStream(logDir, app + "-{out,error}*.log")) {
            d.forEach(out::add);
        }
        out.sort(null);
        return out;
    }
}
