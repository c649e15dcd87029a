package corral.proxy.rules;

import corral.proxy.rules.ServerBlock.Listen;
import corral.proxy.tls.TlsPort;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Groups the servers by port, as nginx groups them by listening socket, and checks what nginx
 * checks there: one default server, no server name claimed twice. Corral routes by port only,
 * so a port's servers must all use the same address.
 */
final class PortBinder {

    private final Problems problems;
    private final Map<Integer, String> appPorts;
    private final Map<Integer, List<ServerBlock>> byPort = new LinkedHashMap<>();
    private final Map<Integer, Listen> firstListen = new HashMap<>();
    private final Map<Integer, ServerBlock> defaults = new HashMap<>();
    private final Map<Integer, TlsPort> tlsPorts = new TreeMap<>();

    /** {@code appPorts}: the apps' public ports (port to app), which no server may listen on. */
    PortBinder(Problems problems, Map<Integer, String> appPorts) {
        this.problems = problems;
        this.appPorts = appPorts;
    }

    /** The server selectors by port. */
    Map<Integer, ServerSelector> bind(List<ServerBlock> servers,
                                      Map<String, NginxRegex> nameRegexes) {
        for (ServerBlock s : servers) {
            for (Listen l : s.listens()) {
                add(s, l);
            }
        }
        Map<Integer, ServerSelector> ports = new TreeMap<>();
        byPort.forEach((port, onPort) -> {
            checkNames(port, onPort);
            ServerBlock dflt = defaults.getOrDefault(port, onPort.get(0));
            ServerSelector selector = new ServerSelector(onPort, dflt, nameRegexes);
            ports.put(port, selector);
            TlsPort tls = TlsPorts.of(port, onPort, dflt, selector, problems);
            if (tls != null) {
                tlsPorts.put(port, tls);
            }
        });
        return ports;
    }

    /** The TLS ports (after {@link #bind}), by port. */
    Map<Integer, TlsPort> tlsPorts() {
        return tlsPorts;
    }

    /** One address per port, ordered by port. */
    List<ListenAddress> addresses() {
        List<ListenAddress> out = new ArrayList<>();
        byPort.keySet().stream().sorted().forEach(p -> out.add(firstListen.get(p).address()));
        return out;
    }

    private void add(ServerBlock s, Listen l) {
        int port = l.address().port();
        if (appPorts.containsKey(port)) {
            problems.add(s.file(), l.line(), "listen", "listen " + l.address() + ": port " + port
                    + " is the public port of app '" + appPorts.get(port) + "' (its PORT in pm2.json);"
                    + " a port is served by an app or by the vhost rules, not both");
            return;
        }
        Listen first = firstListen.putIfAbsent(port, l);
        if (first != null && !Objects.equals(first.address().host(), l.address().host())) {
            problems.add(s.file(), l.line(), "listen", "listen " + l.address() + " and listen "
                    + first.address() + " share a port: Corral routes by port, so a port's"
                    + " servers must use one address");
            return;
        }
        List<ServerBlock> onPort = byPort.computeIfAbsent(port, p -> new ArrayList<>());
        if (!onPort.contains(s)) {
            onPort.add(s);
        }
        if (l.defaultServer()) {
            ServerBlock other = defaults.putIfAbsent(port, s);
            if (other != null && other != s) {
                problems.add(s.file(), l.line(), "listen", "a duplicate default server for port "
                        + port + " (the other is the server at " + other.where() + ")");
            }
        }
    }

    /** nginx warns and keeps the first when two servers of a port claim a name; Corral refuses. */
    private void checkNames(int port, List<ServerBlock> servers) {
        Map<String, ServerBlock> owners = new HashMap<>();
        for (ServerBlock s : servers) {
            for (String name : s.names()) {
                for (String key : lookupKeys(name)) {
                    ServerBlock owner = owners.putIfAbsent(key, s);
                    if (owner != null && owner != s) {
                        problems.add(s.file(), s.line(), "server_name", "conflicting server name"
                                + " \"" + name + "\" on port " + port + ": the server at "
                                + owner.where() + " has it too");
                    }
                }
            }
        }
    }

    /** The lookups a name answers: ".example.com" is both a wildcard and an exact name. */
    private static List<String> lookupKeys(String name) {
        if (name.isEmpty()) {
            return List.of();
        }
        if (name.startsWith("~")) {
            return List.of(name);
        }
        if (name.startsWith("*.")) {
            return List.of("head " + name.substring(1));
        }
        if (name.startsWith(".")) {
            return List.of("head " + name, "exact " + name.substring(1));
        }
        if (name.endsWith(".*")) {
            return List.of("tail " + name);
        }
        return List.of("exact " + name);
    }
}
