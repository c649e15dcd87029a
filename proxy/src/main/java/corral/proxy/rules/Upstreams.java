package corral.proxy.rules;

import corral.proxy.balance.ServerGroup;
import corral.proxy.rules.LocationBlock.ProxyTarget;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The upstreams of the rules: nginx's {@code upstream} blocks, and what the host of a
 * {@code proxy_pass} URL names. Corral forwards only to the pools it supervises, so every
 * address must come down to apps of this host: an app's public port ({@code 127.0.0.1:8197},
 * where nginx reached PM2 before), an {@code upstream} whose servers are such ports (one app's,
 * or several apps' picked by nginx's round robin, {@link ServerGroup}), or the app's name.
 * Anything else is a problem at load, never a guess.
 *
 * <p>Upstreams are resolved once every file is read, as nginx does: a {@code proxy_pass} may
 * name an {@code upstream} written further down.
 */
final class Upstreams {

    /** Where nginx reached this host; any other address is another machine. */
    private static final Set<String> LOOPBACK = Set.of("127.0.0.1", "localhost");

    /**
     * One {@code upstream} block: its name as written and the app its servers are, or, when they
     * are several apps' pools, the {@link ServerGroup} that picks among them ({@code app} is then
     * its first server's).
     */
    private record Upstream(String name, String app, ServerGroup group, Directive where) {
    }

    /** A {@code server} line as read: its app, its weight, and its other parameters. */
    private record ServerLine(Directive where, String app, int weight, boolean backup, boolean down,
                              List<String> tuning) {
    }

    private final Set<String> appNames;
    /** Public port to app name. */
    private final Map<Integer, String> appPorts;
    private final Problems problems;
    /** By lower-cased name: nginx compares upstream names without case. */
    private final Map<String, Upstream> byName = new HashMap<>();

    Upstreams(Set<String> appNames, Map<Integer, String> appPorts, Problems problems) {
        this.appNames = appNames;
        this.appPorts = Map.copyOf(appPorts);
        this.problems = problems;
    }

    /** {@code upstream NAME { server ...; keepalive N; ... }} at http level. */
    void add(Directive d) {
        if (!problems.expectBlock(d) || !problems.expectArgs(d, 1, 1)) {
            return;
        }
        String name = d.arg(0);
        Upstream first = byName.get(name.toLowerCase(Locale.ROOT));
        if (first != null) {
            problems.add(d, "duplicate upstream \"" + name + "\" (first at " + first.where().file()
                    + ":" + first.where().line() + ")");
            return;
        }
        List<ServerLine> servers = new ArrayList<>();
        List<Directive> balancers = new ArrayList<>();
        boolean valid = true;
        for (Directive c : d.block()) {
            if (c.name().equals("server")) {
                ServerLine server = server(c);
                valid &= server != null;
                if (server != null) {
                    servers.add(server);
                }
            } else {
                upstreamSetting(c, balancers);
            }
        }
        if (d.block().stream().noneMatch(c -> c.name().equals("server"))) {
            problems.add(d, "upstream \"" + name + "\" has no \"server\" (nginx: \"no servers are"
                    + " inside upstream\")");
        }
        if (!valid || servers.isEmpty()) {
            return;
        }
        Set<String> apps = new LinkedHashSet<>();
        servers.forEach(s -> apps.add(s.app()));
        Upstream upstream = apps.size() == 1 ? onePool(name, d, servers, balancers)
                : group(name, d, servers, balancers);
        if (upstream != null) {
            byName.put(name.toLowerCase(Locale.ROOT), upstream);
        }
    }

    /**
     * Servers that are all one app: that app's pool, which Corral balances itself; their
     * parameters change nothing nginx would do with one server.
     */
    private Upstream onePool(String name, Directive d, List<ServerLine> servers, List<Directive> balancers) {
        String app = servers.get(0).app();
        boolean valid = true;
        for (ServerLine s : servers) {
            if (s.backup() || s.down()) {
                problems.add(s.where(), "\"" + (s.backup() ? "backup" : "down") + "\" is not supported in an"
                        + " upstream of one app's pool (stop the app with bin/control stop, or remove the"
                        + " server)");
                valid = false;
            }
            if (s != servers.get(0)) {
                problems.notice(s.where(), "a second server of app \"" + app + "\" in upstream \""
                        + name + "\": both are the same pool, which Corral balances itself");
            }
            for (String param : s.tuning()) {
                problems.notice(s.where(), "\"" + param + "\" is ignored: an upstream is one app's"
                        + " pool, and nginx too ignores it on a group of one server; Corral"
                        + " sets an instance that fails a connect aside for 10 s");
            }
        }
        for (Directive c : balancers) {
            problems.notice(c, "\"" + c.name() + "\" is ignored: the upstream is one"
                    + " server (the app's pool), where nginx too has nothing to choose;"
                    + " Corral balances the app's instances itself, without stickiness");
        }
        return valid ? new Upstream(name, app, null, d) : null;
    }

    /**
     * Servers of several apps: nginx's round robin over them ({@link ServerGroup}: weights,
     * {@code backup}, {@code down}), each pool then choosing its instance.
     */
    private Upstream group(String name, Directive d, List<ServerLine> servers, List<Directive> balancers) {
        for (Directive c : balancers) {
            problems.add(c, "\"" + c.name() + "\" is not supported in an upstream over several apps:"
                    + " Corral picks their pools by nginx's weighted round robin (remove it)");
        }
        for (ServerLine s : servers) {
            for (String param : s.tuning().stream().filter(p -> !p.startsWith("weight=")).toList()) {
                problems.notice(s.where(), "\"" + param + "\" is not applied: Corral passes over a pool"
                        + " whose instances failed a connect in the last 10 s (nginx's max_fails=1"
                        + " fail_timeout=10s), and has no connection limit per server");
            }
        }
        if (!balancers.isEmpty()) {
            return null;
        }
        List<ServerGroup.Server> group = servers.stream()
                .map(s -> new ServerGroup.Server(s.app(), s.weight(), s.backup(), s.down())).toList();
        return new Upstream(name, servers.get(0).app(), new ServerGroup(name, group), d);
    }

    /** {@code server ADDRESS [params]}: the app whose public port it is; null on a problem. */
    private ServerLine server(Directive c) {
        if (!problems.expectNoBlock(c) || !problems.expectArgs(c, 1, Integer.MAX_VALUE)) {
            return null;
        }
        String app = appAt(c, c.arg(0), "server");
        int weight = 1;
        boolean backup = false;
        boolean down = false;
        List<String> tuning = new ArrayList<>();
        boolean valid = app != null;
        for (String param : c.args().subList(1, c.args().size())) {
            String key = param.contains("=") ? param.substring(0, param.indexOf('=') + 1) : param;
            String value = param.substring(key.length());
            switch (key) {
                case "weight=" -> {
                    weight = value.matches("[0-9]{1,9}") ? Integer.parseInt(value) : 0;
                    if (weight < 1) {
                        problems.add(c, "invalid parameter \"" + param + "\"");
                        valid = false;
                    } else {
                        tuning.add(param); // applied in a group of several apps, else a notice
                    }
                }
                case "max_fails=", "fail_timeout=", "max_conns=", "slow_start=" -> {
                    if (!value.matches("[0-9]+(ms|s|m|h|d)?")) {
                        problems.add(c, "invalid parameter \"" + param + "\"");
                        valid = false;
                    } else {
                        tuning.add(param);
                    }
                }
                case "backup" -> backup = true;
                case "down" -> down = true;
                default -> {
                    problems.add(c, "invalid parameter \"" + param + "\" (Corral accepts weight=, max_fails=,"
                            + " fail_timeout=, max_conns=, slow_start=, backup, down)");
                    valid = false;
                }
            }
        }
        return valid ? new ServerLine(c, app, weight, backup, down, tuning) : null;
    }

    /** The directives of an upstream block besides {@code server}; the balancing ones into {@code balancers}. */
    private void upstreamSetting(Directive c, List<Directive> balancers) {
        switch (c.name()) {
            case "keepalive", "keepalive_timeout", "keepalive_requests", "keepalive_time" -> {
                if (problems.expectNoBlock(c) && problems.expectArgs(c, 1, 1)) {
                    problems.notice(c, "\"" + c.name() + "\" is ignored: Corral keeps its own"
                            + " idle connections to each instance (upstream.idle.ms in"
                            + " conf/corral.properties)");
                }
            }
            case "least_conn", "ip_hash", "random", "hash" -> {
                if (problems.expectNoBlock(c)) {
                    balancers.add(c);
                }
            }
            case "zone" -> {
                if (problems.expectNoBlock(c)) {
                    problems.notice(c, "\"zone\" is ignored: nginx shares an upstream's state among its"
                            + " workers there; Corral's is shared by all its threads");
                }
            }
            default -> problems.add(c, "\"" + c.name() + "\" is not supported in upstream"
                    + " (Corral accepts server, keepalive, keepalive_timeout, keepalive_requests,"
                    + " keepalive_time, least_conn, ip_hash, random, hash, zone)");
        }
    }

    /**
     * What {@code proxy_pass http://HOST[/uri]} names: an upstream (by name), an app's public
     * port on this host, or an app by name. Null, with a problem, when it is none of these.
     */
    ProxyTarget resolve(Directive d, String host, String uri) {
        Upstream upstream = byName.get(host.toLowerCase(Locale.ROOT));
        if (upstream != null) {
            return new ProxyTarget(upstream.app(), uri, host, upstream.group());
        }
        if (host.contains(":") || LOOPBACK.contains(host.toLowerCase(Locale.ROOT))) {
            String app = appAt(d, host, "proxy_pass");
            return app == null ? null : new ProxyTarget(app, uri, host);
        }
        if (appNames.contains(host)) {
            return new ProxyTarget(host, uri, host);
        }
        problems.add(d, "proxy_pass names \"" + host + "\", which is no upstream and no app of"
                + " pm2.json (apps: " + String.join(", ", new TreeSet<>(appNames)) + "; upstreams: "
                + (byName.isEmpty() ? "none" : String.join(", ", new TreeSet<>(upstreamNames())))
                + ")");
        return null;
    }

    private Set<String> upstreamNames() {
        Set<String> names = new TreeSet<>();
        byName.values().forEach(u -> names.add(u.name()));
        return names;
    }

    /**
     * The app whose public port {@code address} ({@code 127.0.0.1:PORT} or
     * {@code localhost:PORT}) is; null, with a problem naming the reason, when it is not one.
     */
    private String appAt(Directive d, String address, String what) {
        int colon = address.lastIndexOf(':');
        String host = colon < 0 ? address : address.substring(0, colon);
        String port = colon < 0 ? "80" : address.substring(colon + 1);
        String reason;
        if (!LOOPBACK.contains(host.toLowerCase(Locale.ROOT))) {
            reason = "it is not this host (Corral forwards only to the pools it supervises,"
                    + " reached as 127.0.0.1:<an app's public port>)";
        } else if (!port.matches("[0-9]{1,5}") || !appPorts.containsKey(Integer.parseInt(port))) {
            reason = "port " + port + " is no app's public port (" + portsText() + ")";
        } else {
            return appPorts.get(Integer.parseInt(port));
        }
        problems.add(d, what + " \"" + address + "\" cannot be forwarded: " + reason);
        return null;
    }

    private String portsText() {
        if (appPorts.isEmpty()) {
            return "no app of pm2.json has a PORT";
        }
        Map<Integer, String> sorted = new TreeMap<>(appPorts);
        StringBuilder text = new StringBuilder("public ports: ");
        sorted.forEach((port, app) -> text.append(port).append(' ').append(app).append(", "));
        return text.substring(0, text.length() - 2);
    }
}
