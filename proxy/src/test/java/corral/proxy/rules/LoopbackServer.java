package corral.proxy.rules;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * The accept loop of the test upstreams that answer one connection at a time: a loopback port
 * whose one thread accepts a connection, hands it to the handler (reads time out after 5 s),
 * closes it, and takes the next. {@link #close} ends the loop.
 */
final class LoopbackServer implements AutoCloseable {

    /** What the server does with each connection; the connection is closed after it. */
    interface Handler {
        void answer(Socket connection) throws IOException;
    }

    private final ServerSocket socket;
    private final Handler handler;
    private final Thread acceptor;

    LoopbackServer(String name, Handler handler) throws IOException {
        this.socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.handler = handler;
        this.acceptor = new Thread(this::serve, name);
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return socket.getLocalPort();
    }

    private void serve() {
        while (!socket.isClosed()) {
            try (Socket s = socket.accept()) {
                s.setSoTimeout(5000);
                handler.answer(s);
            } catch (IOException e) {
                // closed, or a broken client connection: the next accept decides
            }
        }
    }

    /**
     * The request head up to the blank line, as ISO-8859-1 (the request line's raw bytes);
     * an {@link IOException} when the client closes before it ends.
     */
    static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        byte[] end = {'\r', '\n', '\r', '\n'};
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("connection closed in the request head");
            }
            head.write(b);
            matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        String text = head.toString(StandardCharsets.ISO_8859_1);
        return text.substring(0, text.length() - 4);
    }

    @Override
    public void close() throws IOException {
        socket.close();
        try {
            acceptor.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
