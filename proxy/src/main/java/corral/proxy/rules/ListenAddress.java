package corral.proxy.rules;

/**
 * Where a vhost {@code server} listens, from its {@code listen} directive.
 *
 * @param host the address to bind as written ("127.0.0.1", "[::1]", "localhost"), or null for
 *             every address ({@code listen 8080;} and {@code listen *:8080;})
 * @param port the TCP port
 */
public record ListenAddress(String host, int port) {

    @Override
    public String toString() {
        return (host == null ? "*" : host) + ":" + port;
    }
}
