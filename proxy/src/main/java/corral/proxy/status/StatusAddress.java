package corral.proxy.status;

import java.util.Optional;

/**
 * Where the status listener binds: {@code status.listen = host:port} ({@code [v6]:port} for an
 * IPv6 address), or {@code off}. Any address the operator chooses, since Prometheus scrapes over
 * the network; the default stays on loopback.
 */
public record StatusAddress(String host, int port) {

    /** The value when {@code corral.properties} does not set one. */
    public static final String DEFAULT = "127.0.0.1:8199";

    /** What {@code value} means: empty for {@code off}; throws with why when it means nothing. */
    public static Optional<StatusAddress> parse(String value) {
        String why = problem(value);
        if (why != null) {
            throw new IllegalArgumentException("'" + value + "' " + why);
        }
        if (value.equals("off")) {
            return Optional.empty();
        }
        int colon = value.lastIndexOf(':');
        String host = value.substring(0, colon);
        if (host.startsWith("[")) {
            host = host.substring(1, host.length() - 1);
        }
        return Optional.of(new StatusAddress(host, Integer.parseInt(value.substring(colon + 1))));
    }

    /** What is wrong with {@code value}, or null when nothing is. */
    public static String problem(String value) {
        if (value.equals("off")) {
            return null;
        }
        String expected = "is not host:port or off (e.g. 127.0.0.1:8199, 0.0.0.0:8199, [::1]:8199)";
        int colon = value.lastIndexOf(':');
        if (colon <= 0) {
            return expected;
        }
        String host = value.substring(0, colon);
        if (host.startsWith("[") != host.endsWith("]") || (host.contains(":") && !host.startsWith("["))) {
            return expected;
        }
        try {
            int port = Integer.parseInt(value.substring(colon + 1));
            return port >= 1 && port <= 65535 ? null : "has a port out of 1..65535";
        } catch (NumberFormatException e) {
            return expected;
        }
    }

    /** The page's address for {@code status --json}: a wildcard bind is reached on loopback from here. */
    public String url() {
        String h = host.equals("0.0.0.0") || host.equals("::") ? "127.0.0.1" : host;
        return "http://" + (h.contains(":") ? "[" + h + "]" : h) + ":" + port + "/";
    }

    @Override
    public String toString() {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
}
