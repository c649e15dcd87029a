package corral.workers.restart;

import corral.workers.config.AppConfig;
import java.time.Duration;

/** How long to wait before restarting an instance that exited. */
public interface RestartDelay {

    /**
     * @param uptime   how long the instance that just exited had run
     * @param previous the delay used before the previous restart of this slot, zero if none
     */
    Duration next(Duration uptime, Duration previous);

    /** The policy an app configures: exponential backoff when set, else the fixed delay. */
    static RestartDelay forApp(AppConfig app) {
        return app.expBackoffRestartDelay().isZero()
                ? new FixedDelay(app.restartDelay())
                : new ExponentialBackoff(app.expBackoffRestartDelay());
    }
}
