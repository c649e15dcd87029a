package corral.proxy.daemon;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.StreamHandler;

/**
 * The daemon's own log files, reopened by name on {@code reopen-logs} and SIGUSR1 so that
 * logrotate can move them without copytruncate: {@code log/corral.log} (one line per record) and,
 * when the daemon runs detached, {@code log/corral-daemon.out}, where its {@code System.out} and
 * {@code System.err} go. In the foreground the records also go to stderr, for the journal.
 *
 * <p>The launcher points the detached JVM's file descriptors 1 and 2 at {@code corral-daemon.out};
 * Java cannot re-point them, so the JVM's own native output (a crash banner) still reaches the
 * file that was open at start. Everything Corral prints goes through the reopenable stream.
 *
 * <p>Corral's code logs through {@link System.Logger} only. Its default backend is
 * java.util.logging (no other System.LoggerFinder is on the class path), and a
 * {@code System.Logger} offers no way to set where records go: so this class, and no other,
 * configures JUL's root handlers. The libraries' records land on the same root (Undertow's and
 * XNIO's JBoss Logging, and slf4j through slf4j-jdk14, both end in JUL).
 */
final class DaemonLogs {

    /** The detached daemon's stdout and stderr, in the home's log directory. */
    static final String DAEMON_OUT = "corral-daemon.out";

    private final ReopenableFile corralLog;
    private final Optional<ReopenableFile> daemonOut;
    private final Optional<PrintStream> stdout;
    private Handler fileHandler;

    private DaemonLogs(ReopenableFile corralLog, Optional<ReopenableFile> daemonOut, Optional<PrintStream> stdout) {
        this.corralLog = corralLog;
        this.daemonOut = daemonOut;
        this.stdout = stdout;
    }

    /** Detached: records to {@code corral.log}; {@code System.out}/{@code err} to {@code corral-daemon.out}. */
    static DaemonLogs detached(Path logDir) throws IOException {
        ReopenableFile out = new ReopenableFile(logDir.resolve(DAEMON_OUT));
        PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8);
        System.setOut(print);
        System.setErr(print);
        DaemonLogs logs = new DaemonLogs(new ReopenableFile(logDir.resolve("corral.log")), Optional.of(out), Optional.of(print));
        logs.install(false);
        return logs;
    }

    /** Foreground: records to {@code corral.log} and to stderr (the journal); stdout stays as it is. */
    static DaemonLogs foreground(Path logDir) throws IOException {
        DaemonLogs logs = new DaemonLogs(new ReopenableFile(logDir.resolve("corral.log")), Optional.empty(), Optional.empty());
        logs.install(true);
        return logs;
    }

    /** Closes each file and opens its path anew (after logrotate moved it). */
    void reopen() throws IOException {
        // a record is written under its handler's lock: taking it keeps each record in one file
        synchronized (fileHandler) {
            corralLog.reopen();
        }
        if (daemonOut.isPresent()) {
            // println writes text and newline under the PrintStream's lock: taking it keeps lines whole
            synchronized (stdout.orElseThrow()) {
                daemonOut.get().reopen();
            }
        }
    }

    private void install(boolean alsoStderr) {
        Logger root = Logger.getLogger("");
        for (Handler h : root.getHandlers()) {
            root.removeHandler(h);
        }
        fileHandler = flushing(corralLog);
        root.addHandler(fileHandler);
        if (alsoStderr) {
            root.addHandler(flushing(System.err));
        }
    }

    private static Handler flushing(OutputStream to) {
        return new StreamHandler(to, LINE) {
            @Override
            public synchronized void publish(LogRecord record) {
                super.publish(record);
                flush();
            }

            @Override
            public synchronized void close() {
                flush(); // never close the stream: stderr, or a file closed by its owner
            }
        };
    }

    private static final Formatter LINE = new Formatter() {
        @Override
        public String format(LogRecord r) {
            String text = formatMessage(r);
            if (r.getThrown() != null) {
                text += ": " + r.getThrown();
            }
            return Instant.ofEpochMilli(r.getMillis()) + " " + r.getLevel() + " " + r.getLoggerName() + ": " + text + "\n";
        }
    };

    /** An append-only file whose handle {@link #reopen} replaces; each write goes whole to one file. */
    static final class ReopenableFile extends OutputStream {
        private final Path path;
        private FileOutputStream out;

        ReopenableFile(Path path) throws IOException {
            this.path = path;
            this.out = new FileOutputStream(path.toFile(), true);
        }

        @Override
        public synchronized void write(int b) throws IOException {
            out.write(b);
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        synchronized void reopen() throws IOException {
            FileOutputStream next = new FileOutputStream(path.toFile(), true);
            out.close();
            out = next;
        }

        @Override
        public synchronized void close() throws IOException {
            out.close();
        }
    }
}
