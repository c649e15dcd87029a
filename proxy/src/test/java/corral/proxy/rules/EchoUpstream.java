package corral.proxy.rules;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A test upstream for one app: answers every request with 200 and what it received (app,
 * method, raw request target, headers) as JSON, in the body and, base64-encoded, in an
 * {@code X-Echo} header (so that HEAD requests show it too). Reads raw bytes, so targets nginx
 * sends unencoded arrive as they are.
 */
final class EchoUpstream implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String app;
    private final LoopbackServer server;

    EchoUpstream(String app) throws IOException {
        this.app = app;
        this.server = new LoopbackServer("echo-" + app, this::answer);
    }

    int port() {
        return server.port();
    }

    private void answer(Socket s) throws IOException {
        InputStream in = s.getInputStream();
        String head = LoopbackServer.readHead(in);
        String[] lines = head.split("\r\n");
        String[] requestLine = lines[0].split(" ", 3);
        List<List<String>> headers = new ArrayList<>();
        long contentLength = 0;
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            String name = lines[i].substring(0, colon);
            String value = lines[i].substring(colon + 1).trim();
            headers.add(List.of(name, value));
            if (name.equalsIgnoreCase("Content-Length")) {
                contentLength = Long.parseLong(value);
            }
        }
        in.skipNBytes(contentLength);
        Map<String, Object> echo = new LinkedHashMap<>();
        echo.put("app", app);
        echo.put("method", requestLine[0]);
        echo.put("uri", requestLine.length > 1 ? requestLine[1] : "");
        echo.put("headers", headers);
        byte[] body = JSON.writeValueAsBytes(echo);
        String response = "HTTP/1.0 200 OK\r\nContent-Type: application/json\r\n"
                + "X-Echo: " + Base64.getEncoder().encodeToString(body) + "\r\n"
                + "Content-Length: " + body.length + "\r\nConnection: close\r\n\r\n";
        OutputStream out = s.getOutputStream();
        out.write(response.getBytes(StandardCharsets.ISO_8859_1));
        out.write(body);
        out.flush();
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
