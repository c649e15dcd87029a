package corral.workers.pool;

import corral.workers.config.CronSchedule;
import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * An app's {@code cron_restart}: at each time of its schedule, {@code reload} runs on the pool's
 * loop (PM2 restarts the app hard at those times; Corral reloads it with no downtime). Times are
 * read from the injected clock, in its zone; only the wait until the next one is left to the
 * loop's scheduler. Used by the pool's loop thread only.
 */
final class CronReload {

    private static final System.Logger LOG = System.getLogger("corral.pool");

    private final String app;
    private final ScheduledExecutorService loop;
    private final Clock clock;
    private final Runnable reload;
    private Optional<CronSchedule> schedule = Optional.empty();
    private ScheduledFuture<?> pending;

    CronReload(String app, ScheduledExecutorService loop, Clock clock, Runnable reload) {
        this.app = app;
        this.loop = loop;
        this.clock = clock;
        this.reload = reload;
    }

    /** Follows {@code next} from now on; the same schedule as before keeps its pending time. */
    void follow(Optional<CronSchedule> next) {
        if (next.equals(schedule)) {
            return;
        }
        cancel();
        schedule = next;
        armAfter(ZonedDateTime.now(clock));
    }

    void cancel() {
        if (pending != null) {
            pending.cancel(false);
            pending = null;
        }
    }

    private void armAfter(ZonedDateTime now) {
        Optional<ZonedDateTime> next = schedule.flatMap(s -> s.next(now));
        if (next.isEmpty()) {
            return;
        }
        ZonedDateTime at = next.get();
        long wait = Math.max(0, Duration.between(now, at).toMillis());
        pending = loop.schedule(() -> fire(at), wait, TimeUnit.MILLISECONDS);
    }

    /** The loop's scheduler may wake early by a hair: then wait the rest, so each time fires once. */
    private void fire(ZonedDateTime at) {
        ZonedDateTime now = ZonedDateTime.now(clock);
        if (now.isBefore(at)) {
            pending = loop.schedule(() -> fire(at), Duration.between(now, at).toMillis() + 1, TimeUnit.MILLISECONDS);
            return;
        }
        LOG.log(System.Logger.Level.INFO, app + ": cron_restart " + schedule.map(CronSchedule::expression).orElse("")
                + ": reloading");
        reload.run();
        armAfter(now.isAfter(at) ? now : at);
    }
}
