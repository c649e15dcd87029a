package corral.proxy.listen;

import java.time.Duration;

/**
 * What the traffic listeners allow a client, nginx's {@code client_header_timeout},
 * {@code keepalive_timeout}, {@code large_client_header_buffers} and {@code client_max_body_size}
 * in one place; set in {@code corral.properties} ({@code client.*}).
 *
 * @param headerTimeout  longest a client may take to send a request's head (slowloris); Undertow
 *                       alone would wait for ever
 * @param idleTimeout    an idle keep-alive connection is closed after this
 * @param maxHeaderBytes largest request head; Corral refuses a larger one itself, since node (16 KiB)
 *                       would refuse it anyway, often as a reset while it is still being written
 * @param maxBodyBytes   largest request body; bodies are streamed, never buffered whole
 * @param maxConnections most connections one listener holds at once, or 0 to size it from the
 *                       open-file limit ({@link ConnectionBudget})
 */
public record ClientLimits(Duration headerTimeout, Duration idleTimeout, int maxHeaderBytes, long maxBodyBytes,
                           int maxConnections) {

    /** nginx's timeouts (60 s, 75 s), node's header limit, 1 GiB of body, connections sized from the fd limit. */
    public static final ClientLimits DEFAULTS = new ClientLimits(Duration.ofSeconds(60), Duration.ofSeconds(75),
            16 * 1024, 1L << 30, 0);

    public ClientLimits {
        for (Duration timeout : new Duration[] {headerTimeout, idleTimeout}) {
            // Undertow takes them as int milliseconds.
            if (timeout.isNegative() || timeout.isZero() || timeout.toMillis() > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("timeouts must be 1 to " + Integer.MAX_VALUE + " ms, was " + timeout);
            }
        }
        if (maxHeaderBytes < 1 || maxBodyBytes < 1 || maxConnections < 0) {
            throw new IllegalArgumentException("sizes must be positive");
        }
    }
}
