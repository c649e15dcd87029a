package corral.proxy.forward;

import corral.proxy.balance.ServerGroup;
import io.undertow.util.AttachmentKey;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Where the routing layer decided an exchange goes: the pool {@code app}, the {@code uri}
 * (path and query) exactly as it must be sent upstream, and the header operations to apply last.
 * Put it on the exchange under {@link #KEY} before {@link ForwardHandler} runs.
 *
 * @param readTimeout    the instance's longest silence for this request (a location's
 *                       {@code proxy_read_timeout}); null for the pool's own
 * @param addsForwarded  whether the forwarder adds {@code X-Forwarded-For/-Proto/-Host} (an
 *                       app's public port, where Corral stands in for PM2 behind a proxy); false
 *                       for the vhost rules, where nginx adds none unless told to
 * @param nextUpstream   when a failed attempt is tried on another instance (a location's
 *                       {@code proxy_next_upstream}; nginx's default {@code error timeout})
 * @param group          an {@code upstream} over several apps' pools, whose round robin picks the
 *                       pool of each attempt ({@code app} is then replaced by its pick); null for
 *                       the pool {@code app}
 */
public record ForwardTarget(String app, String uri, List<HeaderOp> headers, Duration readTimeout,
                            boolean addsForwarded, NextUpstream nextUpstream, ServerGroup group) {

    /** The exchange attachment {@link ForwardHandler} reads. */
    public static final AttachmentKey<ForwardTarget> KEY = AttachmentKey.create(ForwardTarget.class);

    public ForwardTarget {
        Objects.requireNonNull(app, "app");
        Objects.requireNonNull(uri, "uri");
        if (!uri.startsWith("/")) {
            throw new IllegalArgumentException("uri must start with '/', was '" + uri + "'");
        }
        headers = List.copyOf(headers);
        Objects.requireNonNull(nextUpstream, "nextUpstream");
    }

    /** A target of one pool. */
    public ForwardTarget(String app, String uri, List<HeaderOp> headers, Duration readTimeout,
                         boolean addsForwarded, NextUpstream nextUpstream) {
        this(app, uri, headers, readTimeout, addsForwarded, nextUpstream, null);
    }

    /** This target with the pool {@code pool} (of its group) in place of its app. */
    ForwardTarget withApp(String pool) {
        return new ForwardTarget(pool, uri, headers, readTimeout, addsForwarded, nextUpstream, group);
    }

    /** A target with the pool's read timeout, the X-Forwarded headers and nginx's default retries. */
    public ForwardTarget(String app, String uri, List<HeaderOp> headers) {
        this(app, uri, headers, null, true, NextUpstream.DEFAULT);
    }

    /** A target without header operations. */
    public static ForwardTarget of(String app, String uri) {
        return new ForwardTarget(app, uri, List.of());
    }

    /** The path part of {@link #uri}. */
    public String path() {
        int q = uri.indexOf('?');
        return q < 0 ? uri : uri.substring(0, q);
    }

    /** The query part of {@link #uri}, without the {@code ?}; empty when there is none. */
    public String query() {
        int q = uri.indexOf('?');
        return q < 0 ? "" : uri.substring(q + 1);
    }
}
