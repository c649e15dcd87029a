package corral.proxy.forward;

import io.undertow.util.StatusCodes;

/**
 * Why a request could not be answered by an instance (or not sent to one), with the status the client then gets and
 * the bounded name its metric carries ({@code corral.pool.<app>.errors.<name>}).
 */
public enum FailureKind {
    /** The request body is over the listener's limit ({@code UndertowOptions.MAX_ENTITY_SIZE}): nothing is sent. */
    TOO_LARGE(413, "too_large", "request body over the listener's size limit"),
    /** The pool is at its limits of requests in flight and queued (its bulkhead): refused at once. */
    BULKHEAD(503, "bulkhead", "over its limits of requests in flight and queued"),
    /** The request waited in the pool's queue for a slot longer than the read timeout. */
    QUEUE_TIMEOUT(503, "queue_timeout", "no free slot within the read timeout"),
    /** The pool has no ready instance (or every one was tried). */
    NO_INSTANCE(503, "no_instance", "no ready instance"),
    /** Every untried instance had all its connections busy. */
    BUSY(503, "busy", "every instance is at its connection limit"),
    /** No instance accepted a connection (refused, unreachable). */
    CONNECT(502, "connect", "no instance answered"),
    /** The connection was reset or closed before a whole response header arrived. */
    RESET(502, "reset", "the instance closed the connection without a response"),
    /** The instance sent bytes that are not a whole, valid response header, then closed. */
    INVALID(502, "invalid", "the instance sent an invalid or incomplete response"),
    /** The instance stayed silent longer than the read timeout. */
    TIMEOUT(504, "timeout", "no response within the read timeout"),
    /**
     * The instance answered with a status {@code proxy_next_upstream} retries ({@code http_502}
     * ...). The client gets it only if the instances left vanished between that answer and the
     * next choice; otherwise the last instance's own answer passes, as in nginx.
     */
    RETRY_STATUS(502, "retry_status", "every instance tried answered with a status proxy_next_upstream retries");

    private final int status;
    private final String metricName;
    private final String reason;

    FailureKind(int status, String metricName, String reason) {
        this.status = status;
        this.metricName = metricName;
        this.reason = reason;
    }

    public int status() {
        return status;
    }

    /** The last segment of the metric name: lower case, bounded. */
    public String metricName() {
        return metricName;
    }

    /** The short text body the client gets, e.g. {@code 502 Bad Gateway: pool h5: no instance answered}. */
    public String body(String app) {
        return status + " " + StatusCodes.getReason(status) + ": pool " + app + ": " + reason + "\n";
    }
}
