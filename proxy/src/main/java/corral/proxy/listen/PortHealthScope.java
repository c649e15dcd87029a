package corral.proxy.listen;

import corral.proxy.health.HealthScope;
import corral.proxy.rules.Router;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The apps one traffic port's {@code /health} answers for, from the port's current role: its app
 * for an app's public port; for a vhost port, the apps that the server nginx would pick for the
 * probe's Host proxies to. A port whose role is gone (the instant
 * between a reload's new roles and its close) has no app behind it.
 */
final class PortHealthScope implements HealthScope {

    private final int port;
    private final Supplier<Map<Integer, PortRole>> roles;
    private final Supplier<Router> rules;

    PortHealthScope(int port, Supplier<Map<Integer, PortRole>> roles, Supplier<Router> rules) {
        this.port = port;
        this.roles = roles;
        this.rules = rules;
    }

    @Override
    public Set<String> apps(String host) {
        PortRole role = roles.get().get(port);
        if (role instanceof PortRole.App a) {
            return Set.of(a.app());
        }
        return role instanceof PortRole.Vhost ? rules.get().appsReached(port, host) : Set.of();
    }
}
