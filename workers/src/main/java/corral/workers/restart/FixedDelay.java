package corral.workers.restart;

import java.time.Duration;

/** PM2's {@code restart_delay}: the same delay every time (zero by default). */
public record FixedDelay(Duration delay) implements RestartDelay {

    @Override
    public Duration next(Duration uptime, Duration previous) {
        return delay;
    }
}
