package corral.proxy.forward;

import corral.fixtures.FreePorts;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An instance written by hand, byte for byte, for answers WireMock cannot give: a port on
 * 127.0.0.1 whose every accepted connection is served by {@code answer} on a thread of its own.
 * Closing it closes the port and every connection it accepted.
 */
final class RawUpstream implements AutoCloseable {
    /** Serves one accepted connection; an IOException ends it quietly (the proxy closed it). */
    interface Answer {
        void serve(Socket socket) throws IOException;
    }

    /** Every connection accepted so far, in order. */
    final List<Socket> accepted = new CopyOnWriteArrayList<>();
    private final ServerSocket server;
    private final Answer answer;
    private final String name;

    RawUpstream(String name, Answer answer) throws IOException {
        this.name = name;
        this.answer = answer;
        server = new ServerSocket(FreePorts.pick(), 50, InetAddress.getByName("127.0.0.1"));
        Thread acceptor = new Thread(this::acceptLoop, name);
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return server.getLocalPort();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            Socket socket;
            try {
                socket = server.accept();
            } catch (IOException e) {
                return;
            }
            accepted.add(socket);
            Thread serving = new Thread(() -> {
                try {
                    answer.serve(socket);
                } catch (IOException e) {
                    // the proxy closed the connection
                }
            }, name + "-conn");
            serving.setDaemon(true);
            serving.start();
        }
    }

    /** Reads up to the blank line that ends a request head. */
    static void readHead(InputStream in) throws IOException {
        int matched = 0;
        byte[] end = {'\r', '\n', '\r', '\n'};
        while (matched < 4) {
            int c = in.read();
            if (c < 0) {
                throw new IOException("closed before the end of the request head");
            }
            matched = c == end[matched] ? matched + 1 : (c == '\r' ? 1 : 0);
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket s : accepted) {
            s.close();
        }
    }
}
