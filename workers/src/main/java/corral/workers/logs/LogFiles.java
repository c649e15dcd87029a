package corral.workers.logs;

import corral.workers.config.AppConfig;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Names and owns every log file of a daemon: {@code <app>-out-<i>.log} / {@code <app>-error-<i>.log}
 * in the log directory, or {@code <app>-out.log} / {@code <app>-error.log} with {@code merge_logs};
 * a configured {@code out_file}/{@code error_file} gets PM2's {@code -<i>} suffix when not merged.
 * One {@link LogFile} per path, shared by all writers of that path, so merged logs stay whole.
 */
public final class LogFiles {

    /** Which stream of a worker. */
    public enum Stream { OUT, ERROR }

    private final Path logDir;
    private final Map<Path, LogFile> files = new ConcurrentHashMap<>();

    public LogFiles(Path logDir) {
        this.logDir = logDir;
    }

    /** The file an instance's stream goes to. */
    public LogFile fileFor(AppConfig app, int index, Stream stream) {
        return files.computeIfAbsent(pathFor(app, index, stream), LogFile::new);
    }

    /** The path an instance's stream goes to, following PM2's naming. */
    public Path pathFor(AppConfig app, int index, Stream stream) {
        var configured = stream == Stream.OUT ? app.outFile() : app.errorFile();
        if (configured.isPresent()) {
            Path p = configured.get();
            return app.mergeLogs() || p.toString().equals("/dev/null") ? p : withSuffix(p, "-" + index);
        }
        String kind = stream == Stream.OUT ? "out" : "error";
        String name = app.mergeLogs()
                ? app.name() + "-" + kind + ".log"
                : app.name() + "-" + kind + "-" + index + ".log";
        return logDir.resolve(name);
    }

    /** Every log path of an app, for {@code bin/control logs}. */
    public List<Path> pathsOf(AppConfig app, Stream stream) {
        List<Path> out = new ArrayList<>();
        for (int i = 0; i < app.instances(); i++) {
            Path p = pathFor(app, i, stream);
            if (!out.contains(p)) {
                out.add(p);
            }
        }
        return out;
    }

    /**
     * Reopens every file (after logrotate renamed them), like nginx's USR1 or PM2's reloadLogs;
     * one that fails does not keep the others from being reopened.
     */
    public void reopenAll() throws IOException {
        IOException failed = null;
        for (LogFile f : files.values()) {
            try {
                f.reopen();
            } catch (IOException e) {
                if (failed == null) {
                    failed = new IOException(f.path() + ": " + e.getMessage(), e);
                } else {
                    failed.addSuppressed(e);
                }
            }
        }
        if (failed != null) {
            throw failed;
        }
    }

    /** Lines of every instance log that could not be written (disk full), since start. */
    public long droppedLines() {
        return files.values().stream().mapToLong(LogFile::droppedLines).sum();
    }

    /** The instance logs that cannot be written at the moment. */
    public List<Path> failing() {
        return files.values().stream().filter(LogFile::failing).map(LogFile::path).sorted().toList();
    }

    /** Writes what every file has buffered and closes it (at shutdown: nothing buffered is lost). */
    public void closeAll() {
        for (LogFile f : files.values()) {
            try {
                f.close();
            } catch (IOException e) {
                System.getLogger("corral.logs").log(System.Logger.Level.WARNING, f.path() + ": " + e.getMessage());
            }
        }
    }

    private static Path withSuffix(Path p, String suffix) {
        String name = p.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String renamed = dot > 0 ? name.substring(0, dot) + suffix + name.substring(dot) : name + suffix;
        return p.resolveSibling(renamed);
    }
}
