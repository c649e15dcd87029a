package corral.workers.pool;

import corral.workers.config.AppConfig;
import corral.workers.logs.TimestampFormat;
import corral.workers.readiness.ReadinessCheck;
import corral.workers.restart.RestartPolicy;
import java.time.Clock;

/**
 * A pool's app configuration and what is derived from it once per change: the restart policy,
 * the readiness check and the log timestamps ({@code null}: none). Running workers keep the
 * settings they were started with until they are replaced.
 */
record PoolSettings(AppConfig app, RestartPolicy policy, ReadinessCheck readiness, TimestampFormat timestamps) {

    static PoolSettings of(AppConfig app, Clock clock) {
        return new PoolSettings(app, RestartPolicy.forApp(app), ReadinessCheck.forApp(app),
                app.logDateFormat().map(f -> TimestampFormat.ofDayjs(f, clock)).orElse(null));
    }
}
