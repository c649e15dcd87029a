package corral.proxy.rules;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A test upstream whose answer the request's query shapes: {@code status}, {@code type}
 * (Content-Type), {@code len} (body bytes of text), {@code chunked=1}, {@code ce}
 * (Content-Encoding), {@code etag}, {@code cc} (Cache-Control), {@code expires=1},
 * {@code lm=1} (Last-Modified), {@code loc} (Location), {@code refresh} (Refresh);
 * {@code only=PORT} applies {@code status} on that port only (the others answer 200); every
 * answer names the request target it got in X-Seen, its method in X-Seen-Method and its
 * Content-Length ("chunked", "-" for none) in X-Seen-Length. It counts the requests it answered. One
 * connection at a time, closed after the answer.
 */
final class ShapedUpstream implements AutoCloseable {

    private final AtomicInteger hits = new AtomicInteger();
    private final LoopbackServer server;

    ShapedUpstream() throws IOException {
        this.server = new LoopbackServer("shaped-upstream", this::answer);
    }

    int port() {
        return server.port();
    }

    /** How many requests it has read so far. */
    int hits() {
        return hits.get();
    }

    private void answer(Socket s) throws IOException {
        InputStream in = s.getInputStream();
        String head = LoopbackServer.readHead(in);
        String[] requestLine = head.split("\r\n")[0].split(" ");
        boolean headRequest = requestLine[0].equals("HEAD");
        Map<String, String> q = query(requestLine[1]);
        int len = Integer.parseInt(q.getOrDefault("len", "1000"));
        StringBuilder body = new StringBuilder();
        while (body.length() < len) {
            body.append("line ").append(body.length()).append(": the quick brown fox jumps over the lazy dog\n");
        }
        byte[] bytes = body.substring(0, len).getBytes(StandardCharsets.ISO_8859_1);
        hits.incrementAndGet();
        if (q.containsKey("delay")) {
            try {
                Thread.sleep(Long.parseLong(q.get("delay"))); // an answer that takes this many ms
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        String status = q.containsKey("only") && !q.get("only").equals(Integer.toString(port()))
                ? "200" : q.getOrDefault("status", "200");
        boolean noBody = status.equals("204") || status.equals("304");
        StringBuilder out = new StringBuilder("HTTP/1.1 " + status + " X\r\n");
        if (q.containsKey("type")) {
            out.append("Content-Type: ").append(q.get("type")).append("\r\n");
        }
        if (q.containsKey("ce")) {
            out.append("Content-Encoding: ").append(q.get("ce")).append("\r\n");
        }
        if (q.containsKey("etag")) {
            out.append("ETag: ").append(q.get("etag")).append("\r\n");
        }
        if (q.containsKey("cc")) {
            out.append("Cache-Control: ").append(q.get("cc")).append("\r\n");
        }
        if (q.containsKey("expires")) {
            out.append(q.get("expires").equals("0") ? "Expires: Mon, 01 Jan 1990 00:00:00 GMT\r\n"
                    : "Expires: Thu, 01 Jan 2037 00:00:00 GMT\r\n");
        }
        if (q.containsKey("lm")) {
            out.append("Last-Modified: Thu, 01 Jan 2015 00:00:00 GMT\r\n");
        }
        if (q.containsKey("auth")) {
            out.append("WWW-Authenticate: ").append(q.get("auth")).append("\r\n");
        }
        if (q.containsKey("loc")) {
            out.append("Location: ").append(q.get("loc")).append("\r\n");
        }
        if (q.containsKey("refresh")) {
            out.append("Refresh: ").append(q.get("refresh")).append("\r\n");
        }
        out.append("X-Seen: ").append(requestLine[1]).append("\r\n");
        out.append("X-Seen-Method: ").append(requestLine[0]).append("\r\n");
        out.append("X-Seen-Length: ").append(contentLength(head)).append("\r\n");
        out.append("Accept-Ranges: bytes\r\n");
        boolean chunked = q.containsKey("chunked");
        if (noBody) {
            out.append("Connection: close\r\n\r\n");
        } else if (chunked) {
            out.append("Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n");
        } else {
            out.append("Content-Length: ").append(bytes.length).append("\r\nConnection: close\r\n\r\n");
        }
        OutputStream o = s.getOutputStream();
        o.write(out.toString().getBytes(StandardCharsets.ISO_8859_1));
        if (!noBody && !headRequest) {
            if (chunked) {
                o.write((Integer.toHexString(bytes.length) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
                o.write(bytes);
                o.write("\r\n0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            } else {
                o.write(bytes);
            }
        }
        o.flush();
    }

    /** The request's Content-Length, else "chunked" or "-". */
    private static String contentLength(String head) {
        for (String line : head.split("\r\n")) {
            String lower = line.toLowerCase(java.util.Locale.ROOT);
            if (lower.startsWith("content-length:")) {
                return line.substring(15).trim();
            }
            if (lower.startsWith("transfer-encoding:")) {
                return "chunked";
            }
        }
        return "-";
    }

    private static Map<String, String> query(String target) {
        Map<String, String> q = new HashMap<>();
        int mark = target.indexOf('?');
        if (mark < 0) {
            return q;
        }
        for (String pair : target.substring(mark + 1).split("&")) {
            int eq = pair.indexOf('=');
            q.put(pair.substring(0, eq), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return q;
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
