package corral.proxy.daemon;

import corral.workers.config.AppSelection;
import corral.workers.home.HomeLayout;
import java.nio.file.Path;
import java.util.Optional;

/**
 * {@code bin/control daemon}: the daemon in the foreground, as systemd (or any supervisor) runs
 * it. Its log goes to stderr as well as {@code log/corral.log}; it starts every app of the
 * configuration itself; SIGTERM takes it offline, waits {@code drain.delay}, drains and stops
 * every pool and exits 0; SIGHUP reloads the configuration; SIGUSR1 reopens the log files;
 * {@code bin/control kill} also ends it with 0. A start that fails (configuration, lock, ports, an
 * app that never gets ready) exits 1 with the reason on stderr, having stopped what it started.
 */
public final class ForegroundDaemon {

    private ForegroundDaemon() {
    }

    /** Runs until stopped; the exit code for the process. Call from the JVM that is the daemon. */
    public static int run(HomeLayout home, Path conf, Path vhost, Optional<String> env, AppSelection only) {
        try {
            return DaemonMain.run(home, conf, vhost, env, only, true);
        } catch (Exception e) {
            System.err.println("corral daemon: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
            return 1;
        }
    }
}
