package corral.proxy.rules;

/**
 * Reads the address of a {@code listen} directive: {@code 8080}, {@code *:8080},
 * {@code 127.0.0.1:8080}, {@code localhost:8080}, {@code [::1]:8080}, or an address alone
 * (port 80), as nginx does.
 */
final class ListenParser {

    private ListenParser() {
    }

    /** The address, or null when it is not one (or is a unix socket). */
    static ListenAddress parse(String s) {
        if (s.startsWith("unix:") || s.isEmpty()) {
            return null;
        }
        if (s.startsWith("[")) {
            int close = s.indexOf(']');
            if (close < 0) {
                return null;
            }
            String host = s.substring(0, close + 1);
            String rest = s.substring(close + 1);
            if (rest.isEmpty()) {
                return new ListenAddress(host, 80);
            }
            return rest.startsWith(":") ? withPort(host, rest.substring(1)) : null;
        }
        int colon = s.lastIndexOf(':');
        if (colon >= 0) {
            String host = s.substring(0, colon);
            return host.isEmpty() || host.contains(":") ? null
                    : withPort(anyAddress(host) ? null : host, s.substring(colon + 1));
        }
        if (s.chars().allMatch(Character::isDigit)) {
            return withPort(null, s);
        }
        return s.equals("*") ? null : new ListenAddress(anyAddress(s) ? null : s, 80);
    }

    /** "*" and "0.0.0.0" both mean every IPv4 address. */
    private static boolean anyAddress(String host) {
        return host.equals("*") || host.equals("0.0.0.0");
    }

    private static ListenAddress withPort(String host, String port) {
        if (port.isEmpty() || port.length() > 5 || !port.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return null;
        }
        int p = Integer.parseInt(port);
        return p >= 1 && p <= 65535 ? new ListenAddress(host, p) : null;
    }
}
