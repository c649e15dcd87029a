package corral.proxy.listen;

import java.util.Optional;

/**
 * How many client connections each traffic listener may hold, sized from the daemon's file
 * descriptor limit, as nginx's {@code worker_connections} bounds a worker. The reason is one
 * listener's flood: without a bound, idle connections to one port use up every descriptor of the
 * process, and then every port stops accepting, {@code /health} included, and XNIO backs its
 * accepts off for seconds even after the flood has gone. With a bound per listener, the others
 * keep what they need, and so do what stays in reserve: the descriptors open at start (jars,
 * selectors), each worker's pipes and log files, the admin API, reloads, and one upstream
 * connection for each client connection being forwarded (hence two descriptors per connection).
 * Near its bound a listener (plain or TLS) closes its oldest idle connections to make room, as
 * nginx does ({@link BoundedHttpListener}); at the bound it stops accepting (the kernel's backlog
 * holds the newcomers) and starts again as soon as one closes: no accept back-off.
 *
 * @param perListener the most connections one listener holds at once
 * @param shortfall   why the limit is lower than this configuration wants, and what to do, if it is
 */
public record ConnectionBudget(int perListener, Optional<String> shortfall) {

    /** Descriptors per worker instance: stdin, stdout and stderr pipes, two log files, one spare. */
    static final int PER_INSTANCE = 6;
    /** For what opens now and then: the admin API, a reload's new files, the registry, logrotate. */
    static final int SLACK = 64;
    /** nginx's default {@code worker_connections}: what a listener should be able to hold. */
    static final int WANTED_PER_LISTENER = 512;
    /** Below this a listener is of little use; it gets it even from a starved limit. */
    static final int FLOOR = 16;

    /**
     * @param configured  {@code client.max.connections}, or 0 for sized from the limit
     * @param fdLimit     the process's open-file limit
     * @param openNow     descriptors the process has open already
     * @param instances   worker instances of every app
     * @param listeners   traffic listeners
     */
    public static ConnectionBudget of(int configured, long fdLimit, long openNow, int instances, int listeners) {
        int count = Math.max(1, listeners);
        long reserve = openNow + (long) PER_INSTANCE * instances + SLACK;
        long wanted = reserve + 2L * count * (configured > 0 ? configured : WANTED_PER_LISTENER);
        long fit = Math.max(FLOOR, (fdLimit - reserve) / (2L * count));
        int perListener = (int) Math.min(Integer.MAX_VALUE, configured > 0 ? Math.min(configured, fit) : fit);
        Optional<String> shortfall = fdLimit >= wanted ? Optional.empty() : Optional.of(
                "the daemon's open-file limit is " + fdLimit + "; this configuration wants " + wanted + " ("
                + count + " listeners x " + (configured > 0 ? configured : WANTED_PER_LISTENER)
                + " connections x 2 for their upstream side, plus " + reserve + " for " + instances
                + " instances, the files open at start and a reserve): each listener holds at most " + perListener
                + " connections. Raise the limit (systemd LimitNOFILE=65536, or ulimit -n before start)");
        return new ConnectionBudget(perListener, shortfall);
    }
}
