package corral.workers.restart;

import corral.workers.config.AppConfig;
import java.time.Duration;
import java.util.List;

/**
 * Decides, after an instance exited on its own, whether and when its slot restarts, following
 * PM2: no restart with {@code autorestart: false} or an exit code in {@code stop_exit_codes};
 * an exit sooner than {@code min_uptime} after start is unstable, and {@code max_restarts}
 * unstable exits in a row make the slot {@code errored}.
 */
public final class RestartPolicy {

    /** What a slot remembers between restarts. */
    public record History(int unstableExits, Duration lastDelay) {
        public static final History NONE = new History(0, Duration.ZERO);
    }

    /** The outcome for one exit. */
    public sealed interface Decision {
        /** Start a new instance in this slot after {@code delay}. */
        record Restart(Duration delay, History history) implements Decision { }

        /** Leave the slot empty: it is not supposed to come back (autorestart off, stop code). */
        record Stay(String reason) implements Decision { }

        /** Give up: it died young too often. */
        record Errored(String reason) implements Decision { }
    }

    private final boolean autorestart;
    private final List<Integer> stopExitCodes;
    private final Duration minUptime;
    private final int maxRestarts;
    private final RestartDelay delay;

    public RestartPolicy(boolean autorestart, List<Integer> stopExitCodes, Duration minUptime,
                         int maxRestarts, RestartDelay delay) {
        this.autorestart = autorestart;
        this.stopExitCodes = List.copyOf(stopExitCodes);
        this.minUptime = minUptime;
        this.maxRestarts = maxRestarts;
        this.delay = delay;
    }

    public static RestartPolicy forApp(AppConfig app) {
        return new RestartPolicy(app.autorestart(), app.stopExitCodes(), app.minUptime(),
                app.maxRestarts(), RestartDelay.forApp(app));
    }

    public Decision afterExit(int exitCode, Duration uptime, History history) {
        if (!autorestart) {
            return new Decision.Stay("exited with code " + exitCode + " and autorestart is off");
        }
        if (stopExitCodes.contains(exitCode)) {
            return new Decision.Stay("exited with code " + exitCode + ", listed in stop_exit_codes");
        }
        boolean unstable = uptime.compareTo(minUptime) < 0;
        int unstableExits = unstable ? history.unstableExits() + 1 : 0;
        if (unstableExits >= maxRestarts) {
            return new Decision.Errored("exited " + unstableExits + " times in a row within min_uptime "
                    + minUptime.toMillis() + " ms (max_restarts " + maxRestarts + ")");
        }
        Duration wait = delay.next(uptime, history.lastDelay());
        return new Decision.Restart(wait, new History(unstableExits, wait));
    }
}
