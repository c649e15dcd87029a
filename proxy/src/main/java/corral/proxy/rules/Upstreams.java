package corral.proxy.rules;

import corral.proxy.rules.LocationBlock.ProxyTarget;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The upstreams of the rules: nginx's {@code upstream} blocks, and what the host of a
 * {@code proxy_pass} URL names. Corral forwards only to the pools it supervises, so every
 * address must come down to one app: its public port on this host ({@code 127.0.0.1:8197},
 * where nginx reached PM2 before), an {@code upstream} whose servers are such ports, or the
 * app's name. Anything else is a problem at load, never a guess.
 *
 * <p>Upstreams are resolved once every file is read, as nginx does: a {@code proxy_pass} may
 * name an {@code upstream} written further down.
 */
final class Upstreams {

    /** Where nginx reached this host; any other address is another machine. */
    private static final Set<String> LOOPBACK = Set.of("127.0.0.1", "localhost");

    /** One {@code upstream} block: its name as written and the app its servers are. */
    private record Upstream(String name, String app, Directive where) {
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
        String app = null;
        Directive appServer = null;
        for (Directive c : d.block()) {
            if (c.name().equals("server")) {
                String serverApp = server(c);
                if (serverApp == null) {
                    continue;
                }
                if (app == null) {
                    app = serverApp;
                    appServer = c;
                } else if (!app.equals(serverApp)) {
                    problems.add(c, "upstream \"" + name + "\" mixes apps: this server is app \""
                            + serverApp + "\", line " + appServer.line() + " is app \"" + app
                            + "\" (Corral forwards an upstream to one app's pool; write one"
                            + " upstream per app)");
                } else {
                    problems.notice(c, "a second server of app \"" + app + "\" in upstream \""
                            + name + "\": both are the same pool, which Corral balances itself");
                }
            } else {
                upstreamSetting(c);
            }
        }
        if (app == null && d.block().stream().noneMatch(c -> c.name().equals("server"))) {
            problems.add(d, "upstream \"" + name + "\" has no \"server\" (nginx: \"no servers are"
                    + " inside upstream\")");
        }
        if (app != null) {
            byName.put(name.toLowerCase(Locale.ROOT), new Upstream(name, app, d));
        }
    }

    /** {@code server ADDRESS [params]}: the app whose public port it is; null on a problem. */
    private String server(Directive c) {
        if (!problems.expectNoBlock(c) || !problems.expectArgs(c, 1, Integer.MAX_VALUE)) {
            return null;
        }
        String app = appAt(c, c.arg(0), "server");
        for (String param : c.args().subList(1, c.args().size())) {
            serverParameter(c, param);
        }
        return app;
    }

    private void serverParameter(Directive c, String param) {
        String key = param.contains("=") ? param.substring(0, param.indexOf('=') + 1) : param;
        switch (key) {
            case "weight=", "max_fails=", "fail_timeout=", "max_conns=", "slow_start=" -> {
                String value = param.substring(key.length());
                if (!value.matches("[0-9]+(ms|s|m|h|d)?")) {
                    problems.add(c, "invalid parameter \"" + param + "\"");
                } else {
                    problems.notice(c, "\"" + param + "\" is ignored: an upstream is one app's"
                            + " pool, and nginx too ignores it on a group of one server; Corral"
                            + " sets an instance that fails a connect aside for 10 s");
                }
            }
            case "backup", "down" -> problems.add(c, "\"" + param + "\" is not supported by"
                    + " Corral: an upstream is one app's pool (stop the app with bin/control"
                    + " stop, or remove the server)");
            default -> problems.add(c, "invalid parameter \"" + param + "\" (Corral accepts"
                    + " weight=, max_fails=, fail_timeout=, max_conns=, slow_start=)");
        }
    }

    /** The directives of an upstream block besides {@code server}. */
    private void upstreamSetting(Directive c) {
        switch (c.name()) {
            case "keepalive", "keepalive_timeout", "keepalive_requests", "keepalive_time" -> {
                if (problems.expectNoBlock(c) && problems.expectArgs(c, 1, 1)) {
                    problems.notice(c, "\"" + c.name() + "\" is ignored: Corral keeps its own"
                            + " idle connections to each instance (upstream.idle.ms in"
                            + " conf/corral.properties)");
                }
            }
            case "least_conn", "ip_hash", "random", "hash", "zone" -> {
                if (problems.expectNoBlock(c)) {
                    problems.notice(c, "\"" + c.name() + "\" is ignored: the upstream is one"
                            + " server (the app's pool), where nginx too has nothing to choose;"
                            + " Corral balances the app's instances itself, without stickiness");
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
            return new ProxyTarget(upstream.app(), uri, host);
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
