package corral.proxy.listen;

import corral.proxy.tls.TlsPort;
import java.util.Optional;

/** What a traffic port does: serve one app directly, or apply the vhost rules. */
public sealed interface PortRole {

    /** The app's public port from pm2.json: everything goes to the app's pool, URI unchanged but for dot-segments. */
    record App(String app) implements PortRole { }

    /**
     * A vhost {@code listen} port: the rules decide per request.
     *
     * @param host the address its {@code listen} names, or empty for the daemon's bind address
     * @param tls  its certificates and TLS settings ({@code listen ... ssl}), or empty for HTTP
     */
    record Vhost(Optional<String> host, Optional<TlsPort> tls) implements PortRole { }

    /** The port's TLS, if it terminates TLS. */
    default Optional<TlsPort> tls() {
        return this instanceof Vhost v ? v.tls() : Optional.empty();
    }

    /** The address to bind for this role. */
    default String bindHost(String fallback) {
        return this instanceof Vhost v ? v.host().orElse(fallback) : fallback;
    }
}
