package corral.proxy.daemon;

import corral.proxy.admin.AdminEndpoint;
import corral.proxy.admin.AdminServer;
import corral.proxy.admin.AdminToken;
import corral.workers.config.AppSelection;
import corral.workers.home.HomeLayout;
import corral.workers.registry.RegistryEntry;
import corral.workers.registry.ResidualWorkers;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The daemon's entry point, detached ({@code bin/control start} launches it) or in the foreground
 * ({@link ForegroundDaemon}). In order: install the signal handlers, take the home's lock (one
 * daemon per home), end the workers a dead daemon left (registry), load and validate the
 * configuration, open the traffic ports, then the admin API, and only then publish
 * {@code run/admin.json} so that a client that finds it finds a daemon ready for commands.
 */
public final class DaemonMain {

    private DaemonMain() {
    }

    /** The detached daemon: {@code --home DIR --conf FILE --vhost PATH [--env NAME] [--only APP,APP]}. */
    public static void main(String[] argv) {
        try {
            Path home = null;
            Path conf = null;
            Path vhost = null;
            Optional<String> env = Optional.empty();
            AppSelection only = AppSelection.ALL;
            for (int i = 0; i + 1 < argv.length; i += 2) {
                switch (argv[i]) {
                    case "--home" -> home = Path.of(argv[i + 1]);
                    case "--conf" -> conf = Path.of(argv[i + 1]);
                    case "--vhost" -> vhost = Path.of(argv[i + 1]);
                    case "--env" -> env = Optional.of(argv[i + 1]);
                    case "--only" -> only = AppSelection.parse(argv[i + 1]);
                    default -> throw new IllegalArgumentException("unknown option " + argv[i]);
                }
            }
            if (home == null || conf == null || vhost == null) {
                throw new IllegalArgumentException("usage: DaemonMain --home DIR --conf FILE --vhost PATH [--env NAME] [--only APP,APP]");
            }
            System.exit(run(new HomeLayout(home), conf, vhost, env, only, false));
        } catch (Exception e) {
            System.err.println("corral daemon: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
            System.exit(1);
        }
    }

    /**
     * Runs a daemon until {@code kill} (returns 0) or a signal to stop (exits 0 from the stop
     * thread); returns 1 when it cannot start, having said why on stderr. In the foreground it
     * also starts every app, and a failed start is a failed run.
     */
    static int run(HomeLayout home, Path conf, Path vhost, Optional<String> env, AppSelection only, boolean foreground)
            throws Exception {
        DaemonSignals signals = DaemonSignals.install();
        HomeLayout layout = home.create();
        DaemonLogs logs = foreground ? DaemonLogs.foreground(layout.logDir()) : DaemonLogs.detached(layout.logDir());
        System.Logger log = System.getLogger("corral.daemon");
        Consumer<String> progress = line -> log.log(Level.INFO, line);

        FileChannel lockFile = FileChannel.open(layout.runDir().resolve("daemon.lock"),
                StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock = lockFile.tryLock();
        if (lock == null) {
            System.err.println("corral daemon: another daemon holds " + layout.runDir().resolve("daemon.lock"));
            return 1;
        }
        Files.deleteIfExists(layout.runDir().resolve("admin.json"));
        Files.writeString(layout.runDir().resolve("daemon.pid"), ProcessHandle.current().pid() + "\n");

        List<RegistryEntry> residual = ResidualWorkers.endAll(layout);
        for (RegistryEntry e : residual) {
            String line = "ended residual worker of a previous daemon: " + e.app() + "[" + e.index() + "] pid " + e.pid();
            log.log(Level.WARNING, line);
            System.out.println(line);
        }

        ConfigSet config;
        DaemonSettings settings;
        try {
            settings = DaemonSettings.load(layout, conf, vhost, env, only);
            config = ConfigSet.load(conf, vhost, env, only);
        } catch (InvalidConfigException e) {
            System.err.println("corral daemon: configuration does not load, nothing started:");
            e.problems().forEach(p -> System.err.println("  " + p));
            Files.deleteIfExists(layout.runDir().resolve("daemon.pid"));
            return 1;
        }
        config.warnings().forEach(w -> log.log(Level.WARNING, w));

        Daemon daemon = new Daemon(settings, config);
        daemon.alsoReopen(logs::reopen);
        if (daemon.cgroupsAvailable()) {
            log.log(Level.INFO, daemon.cgroupsSummary());
        } else {
            log.log(Level.WARNING, daemon.cgroupsSummary());
        }
        AdminToken token = AdminToken.create(layout.runDir().resolve("token"));
        AdminServer admin = new AdminServer(0, token, daemon);
        Object exit = new Object();
        daemon.onKill(() -> {
            synchronized (exit) {
                exit.notifyAll();
            }
        });
        Runtime.getRuntime().addShutdownHook(new Thread(() -> shutdown(daemon, admin, layout), "corral-shutdown"));
        new AdminEndpoint(admin.port(), ProcessHandle.current().pid()).write(layout.runDir().resolve("admin.json"));
        log.log(Level.INFO, "daemon " + ProcessHandle.current().pid() + " ready at " + Instant.now() + ", admin port " + admin.port());
        signals.ready(new DaemonSignals.Actions() {
            @Override
            public String reloadConf() throws Exception {
                return daemon.reloadConf(AppSelection.ALL, progress);
            }

            @Override
            public String reopenLogs() throws Exception {
                return daemon.reopenLogs();
            }

            @Override
            public void stop() throws Exception {
                daemon.stopGracefully(progress);
            }
        });
        synchronized (exit) {
            if (foreground) {
                try {
                    log.log(Level.INFO, daemon.start(Optional.empty(), progress));
                } catch (Exception e) {
                    String why = e.getMessage() == null ? e.toString() : e.getMessage();
                    log.log(Level.ERROR, "start failed, stopping: " + why);
                    return 1; // the shutdown hook stops what started
                }
            }
            exit.wait();
        }
        lock.release();
        return 0;
    }

    private static void shutdown(Daemon daemon, AdminServer admin, HomeLayout layout) {
        try {
            daemon.close();
        } catch (Exception e) {
            System.getLogger("corral.daemon").log(Level.ERROR, "shutdown: " + e.getMessage());
        }
        admin.close();
        try {
            Files.deleteIfExists(layout.runDir().resolve("admin.json"));
            Files.deleteIfExists(layout.runDir().resolve("daemon.pid"));
        } catch (IOException ignored) {
            // best effort: a stale file is detected by the next client anyway
        }
    }
}
