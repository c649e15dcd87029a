package corral.proxy.rules;

import corral.proxy.accesslog.AccessLogTarget;
import corral.proxy.tls.TlsPort;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The vhost rules, loaded and checked: where to listen, and a {@link Router} that decides what
 * each request gets. Immutable and thread-safe; a reload builds a new one.
 */
public final class VhostConfig implements Router {

    private final List<ListenAddress> listenAddresses;
    private final List<Path> files;
    private final RouteEngine engine;
    private final List<RuleProblem> notices;
    private final Map<Integer, TlsPort> tlsPorts;
    private final LimitZones limitZones;

    VhostConfig(List<ListenAddress> listenAddresses, List<Path> files, RouteEngine engine,
                List<RuleProblem> notices, Map<Integer, TlsPort> tlsPorts, LimitZones limitZones) {
        this.limitZones = limitZones;
        this.tlsPorts = Map.copyOf(tlsPorts);
        this.listenAddresses = List.copyOf(listenAddresses);
        this.files = List.copyOf(files);
        this.engine = engine;
        this.notices = List.copyOf(notices);
    }

    /** The limit zones, which the rules loaded by the next {@code reload-conf} may keep. */
    public LimitZones limitZones() {
        return limitZones;
    }

    /**
     * The directives accepted though Corral ignores them, each with why that changes no answer
     * (file order); to be shown once at load, as {@code bin/control check} does.
     */
    public List<RuleProblem> notices() {
        return notices;
    }

    /** The distinct ports the servers listen on, ascending. */
    public List<Integer> listenPorts() {
        return listenAddresses.stream().map(ListenAddress::port).distinct().sorted().toList();
    }

    /**
     * The distinct addresses to bind, ordered by port. A port has one address: the rules route
     * by port, so servers may not listen on the same port through different addresses.
     */
    public List<ListenAddress> listenAddresses() {
        return listenAddresses;
    }

    /** The port's TLS ({@code listen ... ssl}), or empty for plain HTTP. */
    public Optional<TlsPort> tls(int port) {
        return Optional.ofNullable(tlsPorts.get(port));
    }

    /** Every file that was read, includes too, in reading order. */
    public List<Path> files() {
        return files;
    }

    public Router router() {
        return engine;
    }

    /**
     * What nginx would do with the request. A request on a port no server listens on (which
     * nginx could not receive) gets a 404.
     */
    @Override
    public RouteDecision route(RouteRequest request) {
        return engine.route(request);
    }

    /** Every {@code access_log} of the rules, for the files to open before they apply. */
    public List<AccessLogTarget> accessLogTargets() {
        return engine.accessLogTargets();
    }

    @Override
    public Routed routed(RouteRequest request) {
        return engine.routed(request);
    }

    @Override
    public boolean logsOrCounts() {
        return engine.logsOrCounts();
    }

    @Override
    public Set<String> appsReached(int port, String host) {
        return engine.appsReached(port, host);
    }
}
