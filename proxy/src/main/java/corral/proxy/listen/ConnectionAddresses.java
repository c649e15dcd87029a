package corral.proxy.listen;

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
 * handler), so the connection's peer is the exchange's source.
 */
record ConnectionAddresses(int localPort, String localAddr, String remoteAddr) {

    private static final AttachmentKey<ConnectionAddresses> KEY = AttachmentKey.create(ConnectionAddresses.class);

    static ConnectionAddresses of(HttpServerExchange exchange) {
        ServerConnection connection = exchange.getConnection();
        ConnectionAddresses known = connection.getAttachment(KEY);
        if (known == null) {
            InetSocketAddress local = exchange.getDestinationAddress();
            known = new ConnectionAddresses(local.getPort(), local.getAddress().getHostAddress(),
                    exchange.getSourceAddress().getAddress().getHostAddress());
            connection.putAttachment(KEY, known);
        }
        return known;
    }
}
