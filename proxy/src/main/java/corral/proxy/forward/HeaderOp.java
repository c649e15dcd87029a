package corral.proxy.forward;

import java.util.Objects;

/**
 * One {@code proxy_set_header}: set {@code name} to {@code value} on the request sent upstream,
 * replacing what the client sent; an empty value removes the header, as in nginx.
 */
public record HeaderOp(String name, String value) {

    public HeaderOp {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(value, "value");
        if (name.isBlank()) {
            throw new IllegalArgumentException("header name must not be blank");
        }
        if (value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0) {
            throw new IllegalArgumentException("value of header " + name + " must not contain CR or LF");
        }
    }

    /** Whether this op removes the header instead of setting it. */
    public boolean removes() {
        return value.isEmpty();
    }
}
