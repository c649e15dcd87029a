package corral.proxy.daemon;

import java.lang.System.Logger.Level;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * What the daemon does on a signal, as nginx does: SIGHUP reloads the configuration, SIGUSR1
 * reopens the log files, SIGTERM (and SIGINT) take the machine offline, wait {@code drain.delay},
 * drain and stop every pool, and exit 0. The JDK has no public signal API; {@code sun.misc.Signal}
 * (module jdk.unsupported) is the supported way in practice.
 *
 * <p>No signal is lost. The handlers are installed before anything else starts, replacing the
 * JVM's own (under which a SIGHUP during start-up would have ended the daemon); a handler only
 * logs the signal and queues its action on one thread, which runs the actions in arrival order
 * once the daemon is {@linkplain #ready ready}. Every SIGHUP gets a reload-conf of its own that
 * starts after the signal arrived, and an action that fails is logged with its reason, never
 * dropped on a thread nobody watches.
 */
final class DaemonSignals {

    private static final System.Logger LOG = System.getLogger("corral.daemon");

    /** The daemon's side of each signal. */
    interface Actions {
        String reloadConf() throws Exception;

        String reopenLogs() throws Exception;

        /** Offline, drain delay, stop every pool; then the JVM exits 0. */
        void stop() throws Exception;
    }

    private final CountDownLatch ready = new CountDownLatch(1);
    private final ExecutorService queue = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "corral-signals");
        t.setDaemon(true);
        return t;
    });
    private final AtomicBoolean stopping = new AtomicBoolean();
    /** The signals this JVM cannot take, each with what to do instead. */
    private final List<String> unheard = new CopyOnWriteArrayList<>();
    private volatile Actions actions;

    /** Installs the handlers; their actions wait for {@link #ready}. */
    static DaemonSignals install() {
        DaemonSignals signals = new DaemonSignals();
        signals.take("HUP", s -> signals.queue("SIGHUP", "reload-conf", () -> signals.actions.reloadConf()));
        signals.take("USR1", s -> signals.queue("SIGUSR1", "reopen-logs", () -> signals.actions.reopenLogs()));
        signals.take("TERM", s -> signals.stop("SIGTERM"));
        signals.take("INT", s -> signals.stop("SIGINT"));
        return signals;
    }

    /**
     * Installs one handler. HotSpot leaves HUP, INT and TERM ignored when they were ignored as the
     * JVM started (nohup; a background job of a script) and answers SIG_IGN: such a signal would
     * be lost, so that is said (in corral.log once the daemon is ready: logging is set up later).
     */
    private void take(String name, SignalHandler handler) {
        if (Signal.handle(new Signal(name), handler) == SignalHandler.SIG_IGN) {
            String warning = "SIG" + name + " was ignored when this JVM started (nohup?) and stays ignored: "
                    + "it will do nothing; start the daemon with bin/control start, which resets it";
            System.err.println(warning);
            unheard.add(warning);
        }
    }

    /** From now on the queued actions run, and the ones that arrive later as they arrive. */
    void ready(Actions daemon) {
        unheard.forEach(warning -> LOG.log(Level.WARNING, warning));
        this.actions = daemon;
        ready.countDown();
    }

    private void queue(String signal, String what, Callable<String> action) {
        LOG.log(Level.INFO, signal + ": received, " + what + (ready.getCount() > 0 ? " once the daemon is ready" : ""));
        queue.execute(() -> {
            try {
                ready.await();
                LOG.log(Level.INFO, signal + ": " + action.call());
            } catch (Throwable e) {
                LOG.log(Level.ERROR, signal + ": " + what + " failed: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
            }
        });
    }

    // Its own thread, not the queue: a stop must not wait behind a reload, and runs once.
    private void stop(String signal) {
        if (!stopping.compareAndSet(false, true)) {
            LOG.log(Level.INFO, signal + ": already stopping");
            return;
        }
        LOG.log(Level.INFO, signal + ": stopping: offline, drain delay, then every pool drains and stops");
        Thread t = new Thread(() -> {
            int exit = 0;
            try {
                ready.await();
                actions.stop();
                LOG.log(Level.INFO, signal + ": every pool stopped, exiting");
            } catch (Throwable e) {
                LOG.log(Level.ERROR, signal + ": stop failed: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
                exit = 1;
            }
            System.exit(exit);
        }, "corral-stop");
        t.start();
    }
}
