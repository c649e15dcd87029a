package corral.workers.config;

/**
 * How an instance talks with its supervisor over PM2's IPC channel: whether it is ready only once
 * it sends {@code process.send('ready')} ({@code wait_ready}), and whether it is asked to stop with
 * the message {@code 'shutdown'} instead of SIGINT ({@code shutdown_with_message}).
 */
public record Lifecycle(boolean waitReady, boolean shutdownWithMessage) {

    /** PM2's defaults: ready when the port accepts connections; stopped with SIGINT. */
    public static final Lifecycle DEFAULT = new Lifecycle(false, false);
}
