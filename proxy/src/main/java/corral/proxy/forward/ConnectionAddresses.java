package corral.proxy.forward;

import io.undertow.server.HttpServerExchange;
import io.undertow.server.ServerConnection;
import io.undertow.util.AttachmentKey;
import java.net.InetSocketAddress;

/**
 * The two ends of a client connection as the rules read them ({@code $server_port},
 * {@code $server_addr}, {@code $remote_addr}), made once per connection instead of once per
 * request (issue 12: Undertow's address getters make a new {@link InetSocketAddress} on every
 * call, and each address was formatted again for every request of a keep-alive connection).
 *
 * <p>Corral sets no address of its own on an exchange (no PROXY protocol, no forwarded-address
 * handler), so the connection's peer is the exchange's source. Here in forward, below listen: the
 * rules' variables, Corral's own access-log line and the forwarded X-Forwarded-For / X-Real-IP all
 * read the same record.
 */
public record ConnectionAddresses(int localPort, String localAddr, String remoteAddr) {

    private static final AttachmentKey<ConnectionAddresses> KEY = AttachmentKey.create(ConnectionAddresses.class);

    public static ConnectionAddresses of(HttpServerExchange exchange) {
        ServerConnection connection = exchange.getConnection();
        ConnectionAddresses known = connection == null ? null : connection.getAttachment(KEY);
        if (known == null) {
            InetSocketAddress local = exchange.getDestinationAddress();
            known = new ConnectionAddresses(local == null ? 0 : local.getPort(), text(local), text(exchange.getSourceAddress()));
            if (connection != null) {
                connection.putAttachment(KEY, known);
            }
        }
        return known;
    }

    /** An address as nginx prints it: the IP, or the host string of an unresolved one, or "-". */
    private static String text(InetSocketAddress address) {
        if (address == null) {
            return "-";
        }
        return address.getAddress() != null ? address.getAddress().getHostAddress() : address.getHostString();
    }
}
