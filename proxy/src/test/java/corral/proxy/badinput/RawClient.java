package corral.proxy.badinput;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Writes bytes to a listener exactly as given (java.net.http cannot send a broken request) and
 * reads the first answer: its status line and headers, and a body only as long as its
 * {@code Content-Length} says. Not an HTTP parser: enough to tell a 4xx from a 200 from a
 * closed connection. Loopback only.
 */
final class RawClient {

    /**
     * The first answer on the connection.
     *
     * @param status  its status code; 0 when the connection closed, was reset or stayed silent
     *                before a status line
     * @param headers its header lines, "Name: value"
     * @param body    its body when it had a Content-Length, else ""
     * @param how     for status 0: "closed", "reset" or "silent"
     */
    record Reply(int status, List<String> headers, String body, String how) {

        boolean answered() {
            return status != 0;
        }

        Optional<String> header(String name) {
            String prefix = name.toLowerCase(Locale.ROOT) + ":";
            return headers.stream().filter(h -> h.toLowerCase(Locale.ROOT).startsWith(prefix))
                    .map(h -> h.substring(prefix.length()).trim()).findFirst();
        }

        /** Answered by an instance (the sample app names itself), not by Corral. */
        boolean fromWorker() {
            return header("X-Worker-Pid").isPresent();
        }

        @Override
        public String toString() {
            return answered() ? status + " " + headers + (body.isEmpty() ? "" : " " + abbreviate(body)) : how;
        }
    }

    private RawClient() {
    }

    /** Connects, writes {@code request}, and reads the first answer (waiting {@code wait} at most). */
    static Reply exchange(int port, byte[] request, Duration wait) throws IOException {
        try (Socket socket = connect(port, wait)) {
            socket.getOutputStream().write(request);
            socket.getOutputStream().flush();
            return read(socket.getInputStream());
        } catch (SocketException e) {
            // Written into a connection the server already closed: it refused the request.
            return new Reply(0, List.of(), "", "reset");
        }
    }

    /** A connected socket whose reads give up after {@code wait}. */
    static Socket connect(int port, Duration wait) throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", port), 2000);
        socket.setSoTimeout((int) wait.toMillis());
        return socket;
    }

    /** Reads one answer from a connection. */
    static Reply read(InputStream in) throws IOException {
        String statusLine;
        try {
            statusLine = line(in);
        } catch (SocketTimeoutException e) {
            return new Reply(0, List.of(), "", "silent");
        } catch (SocketException e) {
            return new Reply(0, List.of(), "", "reset");
        }
        if (statusLine == null) {
            return new Reply(0, List.of(), "", "closed");
        }
        String[] parts = statusLine.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/")) {
            throw new IOException("not an HTTP status line: " + abbreviate(statusLine));
        }
        List<String> headers = new ArrayList<>();
        for (String h = line(in); h != null && !h.isEmpty(); h = line(in)) {
            headers.add(h);
        }
        Reply head = new Reply(Integer.parseInt(parts[1]), headers, "", "");
        int length = head.header("Content-Length").map(Integer::parseInt).orElse(0);
        byte[] body = in.readNBytes(length);
        return new Reply(head.status(), headers, new String(body, StandardCharsets.UTF_8), "");
    }

    /** One CRLF-ended line as ISO-8859-1, or null at the end of the stream before any byte. */
    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b < 0) {
                return line.size() == 0 ? null : line.toString(StandardCharsets.ISO_8859_1);
            }
            if (b != '\r') {
                line.write(b);
            }
        }
        return line.toString(StandardCharsets.ISO_8859_1);
    }

    static String abbreviate(String text) {
        String flat = text.replace("\r", "\\r").replace("\n", "\\n");
        return flat.length() <= 200 ? flat : flat.substring(0, 200) + "...";
    }
}
