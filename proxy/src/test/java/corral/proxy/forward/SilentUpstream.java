package corral.proxy.forward;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/**
 * An instance that never answers: a listening socket that accepts nothing. The kernel completes
 * the connections (its backlog) and keeps the requests in its buffers, so an attempt on it can
 * only end by the proxy's own read timeout, however late the machine runs that timeout. (A
 * WireMock fixed delay of a few seconds races with the timeout on a loaded machine: the late
 * answer can win.)
 */
final class SilentUpstream implements AutoCloseable {
    private final ServerSocket server;

    SilentUpstream() throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
    }

    int port() {
        return server.getLocalPort();
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
