package corral.workers.restart;

import java.time.Duration;

/**
 * PM2's {@code exp_backoff_restart_delay}: the first delay is the configured one, each next one
 * 1.5 times the last, capped at 15 s; an instance that stayed up 30 s starts over.
 */
public record ExponentialBackoff(Duration initial) implements RestartDelay {

    static final Duration CAP = Duration.ofSeconds(15);
    static final Duration RESET_AFTER = Duration.ofSeconds(30);

    @Override
    public Duration next(Duration uptime, Duration previous) {
        if (previous.isZero() || uptime.compareTo(RESET_AFTER) >= 0) {
            return initial;
        }
        Duration grown = Duration.ofMillis((long) (previous.toMillis() * 1.5));
        return grown.compareTo(CAP) > 0 ? CAP : grown;
    }
}
