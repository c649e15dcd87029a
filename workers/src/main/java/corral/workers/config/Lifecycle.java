package corral.workers.config;

import java.util.Objects;
import java.util.Optional;

/**
 * PM2's options about an instance's start and stop: whether it is ready only once it sends
 * {@code process.send('ready')} over its IPC channel ({@code wait_ready}), whether it is asked to
 * stop with the message {@code 'shutdown'} instead of SIGINT ({@code shutdown_with_message}), and
 * when the whole app is reloaded on a schedule ({@code cron_restart}).
 */
public record Lifecycle(boolean waitReady, boolean shutdownWithMessage, Optional<CronSchedule> cronRestart) {

    /** PM2's defaults: ready when the port accepts connections; stopped with SIGINT; no schedule. */
    public static final Lifecycle DEFAULT = new Lifecycle(false, false);

    public Lifecycle {
        Objects.requireNonNull(cronRestart, "cronRestart");
    }

    /** Without a schedule. */
    public Lifecycle(boolean waitReady, boolean shutdownWithMessage) {
        this(waitReady, shutdownWithMessage, Optional.empty());
    }
}
