package corral.proxy.health;

import java.util.Set;

/**
 * Which apps one listener's {@code /health} answers for: an app's public port, that app; a vhost
 * port, the apps its server for the request's Host proxies to. Asked on every probe, so it
 * follows a reload of the rules or of pm2.json from the next probe on.
 */
@FunctionalInterface
public interface HealthScope {

    /** The apps behind the listener for a probe carrying this Host header (null when none). */
    Set<String> apps(String host);
}
