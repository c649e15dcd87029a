package corral.proxy.rules;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A test HTTP client that writes the request head exactly as given (any Host, any target, no
 * normalisation; java.net.http cannot) and reads the whole response until the server closes.
 */
final class RawHttp {

    /** A response, or {@link #closed()} when the server closed without answering. */
    record Response(int status, List<String[]> headers, String body) {

        static Response closed() {
            return new Response(0, List.of(), "");
        }

        boolean isClosed() {
            return status == 0;
        }

        /** The first header of that name, or null. */
        String header(String name) {
            for (String[] h : headers) {
                if (h[0].equalsIgnoreCase(name)) {
                    return h[1];
                }
            }
            return null;
        }
    }

    private RawHttp() {
    }

    /** Sends {@code head} (request line and headers, each ending CRLF, then CRLF). */
    static Response send(int port, String head) throws IOException {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(head.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            return parse(readAll(s.getInputStream()));
        }
    }

    /** As {@link #send}, over TLS (any certificate: the test's own). */
    static Response sendTls(int port, String head) throws IOException {
        try {
            javax.net.ssl.SSLContext tls = javax.net.ssl.SSLContext.getInstance("TLS");
            tls.init(null, new javax.net.ssl.TrustManager[] {new javax.net.ssl.X509TrustManager() {
                public void checkClientTrusted(java.security.cert.X509Certificate[] c, String a) { }
                public void checkServerTrusted(java.security.cert.X509Certificate[] c, String a) { }
                public java.security.cert.X509Certificate[] getAcceptedIssuers() {
                    return new java.security.cert.X509Certificate[0];
                }
            }}, null);
            try (Socket s = tls.getSocketFactory().createSocket(InetAddress.getLoopbackAddress(), port)) {
                s.setSoTimeout(10_000);
                OutputStream out = s.getOutputStream();
                out.write(head.getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
                return parse(readAll(s.getInputStream()));
            }
        } catch (java.security.GeneralSecurityException e) {
            throw new IOException(e);
        }
    }

    private static byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        try {
            for (int n; (n = in.read(buf)) > 0; ) {
                all.write(buf, 0, n);
            }
        } catch (java.net.SocketException e) {
            // a reset after a close (return 444) ends the response like an EOF
        }
        return all.toByteArray();
    }

    private static Response parse(byte[] bytes) {
        String text = new String(bytes, StandardCharsets.ISO_8859_1);
        if (text.isEmpty()) {
            return Response.closed();
        }
        int endOfHead = text.indexOf("\r\n\r\n");
        String head = endOfHead < 0 ? text : text.substring(0, endOfHead);
        String body = endOfHead < 0 ? "" : text.substring(endOfHead + 4);
        String[] lines = head.split("\r\n");
        int status = Integer.parseInt(lines[0].split(" ")[1]);
        List<String[]> headers = new ArrayList<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            headers.add(new String[] {lines[i].substring(0, colon),
                    lines[i].substring(colon + 1).trim()});
        }
        return new Response(status, headers, body);
    }
}
