package corral.proxy.forward;

import io.undertow.util.AttachmentKey;
import java.util.List;
import java.util.Objects;

/**
 * Where the routing layer decided an exchange goes: the pool {@code app}, the {@code uri}
 * (path and query) exactly as it must be sent upstream, and the header operations to apply last.
 * Put it on the exchange under {@link #KEY} before {@link ForwardHandler} runs.
 */
public record ForwardTarget(String app, String uri, List<HeaderOp> headers) {

    /** The exchange attachment {@link ForwardHandler} reads. */
    public static final AttachmentKey<ForwardTarget> KEY = AttachmentKey.create(ForwardTarget.class);

    public ForwardTarget {
        Objects.requireNonNull(app, "app");
        Objects.requireNonNull(uri, "uri");
        if (!uri.startsWith("/")) {
            throw new IllegalArgumentException("uri must start with '/', was '" + uri + "'");
        }
        headers = List.copyOf(headers);
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
