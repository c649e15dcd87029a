package corral.proxy.rules;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Picks the {@code server} of one port for a host name, in nginx's order: the exact name; the
 * longest {@code *.example.com} (or {@code .example.com}) wildcard; the longest
 * {@code www.example.*} wildcard; the first regex name, in file order; else the port's
 * {@code default_server}, or its first server.
 */
final class ServerSelector {

    /** A server name that is a regex. */
    private record RegexName(NginxRegex regex, ServerBlock server) {
    }

    private final ServerBlock defaultServer;
    private final List<ServerBlock> servers;
    private final Map<String, ServerBlock> exact = new HashMap<>();
    /** "*.example.com" under ".example.com"; ".example.com" also under "example.com" exact. */
    private final Map<String, ServerBlock> headWildcards = new HashMap<>();
    /** ".example.com" alone, which also matches "example.com" itself. */
    private final Map<String, ServerBlock> dotWildcards = new HashMap<>();
    /** "www.example.*" under "www.example.". */
    private final Map<String, ServerBlock> tailWildcards = new HashMap<>();
    private final List<RegexName> regexes = new ArrayList<>();

    /**
     * @param servers       the servers listening on the port, in file order; names already
     *                      checked (unique per port, valid wildcards, compiled regexes)
     * @param defaultServer the one marked {@code default_server}, or the first
     */
    ServerSelector(List<ServerBlock> servers, ServerBlock defaultServer,
                   Map<String, NginxRegex> compiledNames) {
        this.defaultServer = defaultServer;
        this.servers = List.copyOf(servers);
        for (ServerBlock s : servers) {
            for (String name : s.names()) {
                add(s, name, compiledNames.get(name));
            }
        }
    }

    /** The port's servers, in file order. */
    List<ServerBlock> servers() {
        return servers;
    }

    /** The server of a request refused before its Host was read (nginx's default server). */
    ServerBlock defaultServer() {
        return defaultServer;
    }

    private void add(ServerBlock s, String name, NginxRegex regex) {
        if (name.startsWith("~")) {
            regexes.add(new RegexName(regex, s));
        } else if (name.startsWith("*.")) {
            headWildcards.putIfAbsent(name.substring(1), s);
        } else if (name.startsWith(".")) {
            dotWildcards.putIfAbsent(name, s);
        } else if (name.endsWith(".*")) {
            tailWildcards.putIfAbsent(name.substring(0, name.length() - 1), s);
        } else if (!name.isEmpty()) {
            exact.putIfAbsent(name, s);
        }
    }

    /**
     * The server for a host name (checked, lower-cased, without port; "" when the request has
     * no Host). A regex name that matches records its captures in {@code ctx}, unless it is null
     * (when only the server matters, as for its health).
     */
    ServerBlock select(String host, RequestContext ctx) {
        if (host.isEmpty()) {
            return defaultServer;
        }
        ServerBlock s = exact.get(host);
        if (s == null) {
            s = headWildcard(host);
        }
        if (s == null) {
            s = tailWildcard(host);
        }
        if (s != null) {
            return s;
        }
        for (int i = 0; i < regexes.size(); i++) { // no iterator per request
            RegexName r = regexes.get(i);
            String[] groups = r.regex().exec(host);
            if (groups != null) {
                if (ctx != null) {
                    ctx.matched(r.regex(), groups);
                }
                return r.server();
            }
        }
        return defaultServer;
    }

    /** Longest suffix first: each "." of the host starts a candidate ".rest". */
    private ServerBlock headWildcard(String host) {
        if (headWildcards.isEmpty() && dotWildcards.isEmpty()) {
            return null; // the usual case: no substring per dot of every request's host (issue 12)
        }
        ServerBlock dot = dotWildcards.get("." + host);
        if (dot != null) {
            return dot;
        }
        for (int i = host.indexOf('.'); i >= 0; i = host.indexOf('.', i + 1)) {
            String suffix = host.substring(i);
            ServerBlock s = headWildcards.get(suffix);
            if (s == null) {
                s = dotWildcards.get(suffix);
            }
            if (s != null) {
                return s;
            }
        }
        return null;
    }

    /** Longest prefix first: each "." of the host ends a candidate "head.". */
    private ServerBlock tailWildcard(String host) {
        if (tailWildcards.isEmpty()) {
            return null;
        }
        for (int i = host.lastIndexOf('.'); i >= 0; i = host.lastIndexOf('.', i - 1)) {
            ServerBlock s = tailWildcards.get(host.substring(0, i + 1));
            if (s != null && i + 1 < host.length()) {
                return s;
            }
            if (i == 0) {
                break;
            }
        }
        return null;
    }
}
