package corral.proxy.listen;

/** What a traffic port does: serve one app directly, or apply the vhost rules. */
public sealed interface PortRole {

    /** The app's public port from pm2.json: everything goes to the app's pool, URI unchanged. */
    record App(String app) implements PortRole { }

    /** A vhost {@code listen} port: the rules decide per request. */
    record Vhost() implements PortRole { }
}
