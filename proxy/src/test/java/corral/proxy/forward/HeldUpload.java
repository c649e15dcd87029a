package corral.proxy.forward;

import corral.fixtures.RawHttp;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * A POST to a worker's {@code /echo} (through the proxy on {@code port}) whose body the test holds
 * back: the request is in flight on its instance as soon as its head is in, and ends only after
 * {@link #finish()} sends the rest and the worker answers. A test holds a slot or an instance with
 * it for exactly as long as it means to, whatever the machine's load (a {@code /slow?ms=} request
 * ends on its own clock, which a late test thread can miss).
 */
final class HeldUpload implements AutoCloseable {
    private static final String FIRST = "held-";
    private static final String REST = "back";
    private final Socket socket;

    HeldUpload(int port, String path) throws IOException {
        socket = RawHttp.connect(port, Duration.ofSeconds(30));
        write("POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: "
                + (FIRST.length() + REST.length()) + "\r\n\r\n" + FIRST);
    }

    RawHttp.Response finish() throws IOException {
        write(REST);
        return RawHttp.read(socket.getInputStream());
    }

    /** Whether the proxy has answered already, before the body ended (a refusal). */
    boolean answered() {
        try {
            return socket.getInputStream().available() > 0;
        } catch (IOException e) {
            return false;
        }
    }

    /** The answer the proxy gave without waiting for the body. */
    RawHttp.Response answer() throws IOException {
        return RawHttp.read(socket.getInputStream());
    }

    private void write(String text) throws IOException {
        socket.getOutputStream().write(text.getBytes(StandardCharsets.ISO_8859_1));
        socket.getOutputStream().flush();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
