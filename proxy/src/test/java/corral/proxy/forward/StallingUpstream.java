package corral.proxy.forward;

import java.io.IOException;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * An upstream that answers every request with a status line, headers and the first bytes of a
 * chunked body ({@link #FIRST}), then goes silent while keeping the connection open: a worker
 * stuck mid-response, until {@link #finish()} sends the rest. (WireMock's dribble delays the
 * first chunk too, which makes it a header-phase stall instead.)
 */
final class StallingUpstream implements AutoCloseable {
    /** The body's bytes sent before the stall. */
    static final String FIRST = "hello";
    /** The body's bytes {@link #finish()} sends. */
    static final String REST = "world";

    private final RawUpstream upstream = new RawUpstream("stalling-upstream", socket -> {
        RawUpstream.readHead(socket.getInputStream());
        socket.getOutputStream().write(("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                + chunk(FIRST)).getBytes(StandardCharsets.ISO_8859_1));
        socket.getOutputStream().flush();
    });
    private final List<Socket> accepted = upstream.accepted;

    StallingUpstream() throws IOException {
    }

    int port() {
        return upstream.port();
    }

    /** Ends every response held so far: the rest of the body and the last chunk. */
    void finish() throws IOException {
        for (Socket s : accepted) {
            s.getOutputStream().write((chunk(REST) + "0\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            s.getOutputStream().flush();
        }
    }

    /**
     * Whether the proxy closed the first held connection outright within {@code bound}. Its FIN
     * is no proof (a draining close shuts down its writes first, then keeps reading): what is, is
     * that the instance's writes fail, as they do once the proxy's end answers them with a reset.
     * A proxy that drains swallows every write until its drain ends.
     */
    boolean closedByProxyWithin(Duration bound) throws IOException, InterruptedException {
        Socket socket = accepted.get(0);
        long deadline = System.nanoTime() + bound.toNanos();
        socket.setSoTimeout((int) bound.toMillis());
        try {
            while (socket.getInputStream().read() >= 0) {
                // nothing more is expected from the proxy but its FIN
            }
            byte[] rest = (chunk(REST) + "0\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
            while (System.nanoTime() < deadline) {
                socket.getOutputStream().write(rest);
                socket.getOutputStream().flush();
                Thread.sleep(20); // gives the reset to the previous write time to come back
            }
            return false;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (SocketException e) {
            return true; // reset or broken pipe: nobody holds the proxy's end any more
        }
    }

    private static String chunk(String text) {
        return Integer.toHexString(text.length()) + "\r\n" + text + "\r\n";
    }

    @Override
    public void close() throws IOException {
        upstream.close();
    }
}
