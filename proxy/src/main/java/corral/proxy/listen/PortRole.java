package corral.proxy.listen;

import java.util.Optional;

/** What a traffic port does: serve one app directly, or apply the vhost rules. */
public sealed interface PortRole {

    /** The app's public port from pm2.json: everything goes to the app's pool, URI unchanged but for dot-segments. */
    record App(String app) implements PortRole { }

    /**
     * A vhost {@code listen} port: the rules decide per request.
     *
     * @param host the address its {@code listen} names, or empty for the daemon's bind address
     */
    record Vhost(Optional<String> host) implements PortRole { }

    /** The address to bind for this role. */
    default String bindHost(String fallback) {
        return this instanceof Vhost v ? v.host().orElse(fallback) : fallback;
    }
}
