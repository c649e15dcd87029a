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
                offsets.put(f, printNew(f, offsets.getOrDefault(f, 0L), out));
            }
        }
        return ControlMain.OK;
    }

    /**
     * Prints the whole lines of {@code f} past {@code from} (from its start if it shrank: rotated or
     * truncated), each prefixed with the file's name, and returns where the next poll starts: a
     * line still being written is printed once it is whole.
     */
    static long printNew(Path f, long from, PrintStream out) throws IOException {
        long size = Files.size(f);
        if (size < from) {
            from = 0;
        }
        if (size == from) {
            return from;
        }
        try (RandomAccessFile r = new RandomAccessFile(f.toFile(), "r")) {
            r.seek(from);
            byte[] bytes = new byte[(int) (size - from)];
            r.readFully(bytes);
            int end = lastNewline(bytes);
            String prefix = f.getFileName() + " | ";
            if (end > 0) {
                for (String line : new String(bytes, 0, end, StandardCharsets.UTF_8).split("\n")) {
                    out.println(prefix + line);
                }
            }
            return from + end;
        }
    }

    /** How many of {@code bytes} make whole lines (up to and including the last newline). */
    private static int lastNewline(byte[] bytes) {
        for (int i = bytes.length - 1; i >= 0; i--) {
            if (bytes[i] == '\n') {
                return i + 1;
            }
        }
        return 0;
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
