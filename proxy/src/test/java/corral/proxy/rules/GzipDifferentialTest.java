package corral.proxy.rules;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * gzip against real nginx 1.22: the same upstream answers (type, length, status, chunked,
 * Content-Encoding, ETag, Cache-Control...) through nginx and through Corral, for requests with
 * the Accept-Encoding, Via, User-Agent and versions nginx's filter looks at; the same status
 * and gzip-relevant headers, and the same body once gunzipped (the compressed bytes may differ).
 */
class GzipDifferentialTest {

    /** The headers nginx's gzip filter decides; the others are the upstream's, or the server's own. */
    private static final Set<String> COMPARED = Set.of("content-encoding", "vary", "etag",
            "accept-ranges", "content-type");

    @RegisterExtension
    static final NginxBeside started = new NginxBeside();

    @TempDir
    static Path dir;

    private static ShapedUpstream upstream;
    private static SideBySide both;

    @BeforeAll
    static void start() throws Exception {
        upstream = started.add(new ShapedUpstream());
        both = started.add(SideBySide.start(dir, "gzip.conf", "gz", upstream.port(), GzipDifferentialTest::vhost));
    }

    private static String vhost(int port) {
        return """
                gzip on;
                gzip_types application/json text/css;
                gzip_min_length 100;
                gzip_comp_level 5;
                gzip_vary on;
                gzip_disable "curl-disabled" msie6;
                gzip_buffers 16 8k;
                server {
                    listen PORT;
                    location / { proxy_pass http://gz; }
                    location /proxied/ { gzip_proxied expired no-cache auth; proxy_pass http://gz/; }
                    location /any/ { gzip_proxied any; gzip_http_version 1.0; gzip_types *; proxy_pass http://gz/; }
                    location /off/ { gzip off; proxy_pass http://gz/; }
                    location /novary/ { gzip_vary off; proxy_pass http://gz/; }
                }
                """.replace("PORT", Integer.toString(port));
    }

    private static final List<String> ACCEPT = List.of("gzip", "gzip, deflate, br", "deflate, gzip",
            "br;q=1.0, gzip;q=0.8", "gzip;q=0", "gzip;q=0.000", "gzip; q=0.5", "gzip;q=1.5", "x-gzip",
            "GZIP", "Gzip, deflate", "identity", "*", "gzip;level=1", "deflate,gzip;q=0", "");

    private static final List<String> SHAPES = List.of("type=text/html&len=2000",
            "type=application/json&len=2000", "type=text/css;%20charset=utf-8&len=2000",
            "type=image/png&len=2000", "len=2000", "type=text/html&len=99", "type=text/html&len=100",
            "type=text/html&len=50&chunked=1", "type=text/html&len=5000&chunked=1",
            "type=text/html&status=404", "type=text/html&status=403", "type=text/html&status=500",
            "type=text/html&status=204", "type=text/html&status=304", "type=text/html&status=301",
            "type=text/html&ce=br", "type=text/html&etag=%22abc%22", "type=text/html&etag=W/%22abc%22",
            "type=text/plain&len=3000", "type=TEXT/HTML&len=2000");

    @Test
    void corralCompressesWhatNginxCompresses() throws Exception {
        List<String[]> cases = new ArrayList<>();
        for (String shape : SHAPES) {
            for (String ae : List.of("gzip", "")) {
                cases.add(new String[] {"GET", "/r?" + shape, "HTTP/1.1", ae});
            }
        }
        for (String ae : ACCEPT) {
            cases.add(new String[] {"GET", "/r?type=text/html&len=2000", "HTTP/1.1", ae});
        }
        String html = "?type=text/html&len=2000";
        cases.add(new String[] {"HEAD", "/r" + html, "HTTP/1.1", "gzip"});
        cases.add(new String[] {"HEAD", "/r" + html, "HTTP/1.1", ""});
        cases.add(new String[] {"HEAD", "/r?type=text/html&len=10", "HTTP/1.1", "gzip"});
        cases.add(new String[] {"GET", "/r" + html, "HTTP/1.0", "gzip"});
        cases.add(new String[] {"GET", "/any/r" + html, "HTTP/1.0", "gzip"});
        cases.add(new String[] {"GET", "/any/r?type=image/png&len=500", "HTTP/1.1", "gzip", "Via: 1.1 cdn"});
        cases.add(new String[] {"GET", "/off/r" + html, "HTTP/1.1", "gzip"});
        cases.add(new String[] {"GET", "/novary/r" + html, "HTTP/1.1", ""});
        cases.add(new String[] {"GET", "/r" + html, "HTTP/1.1", "gzip", "Via: 1.1 cdn"});
        cases.add(new String[] {"GET", "/proxied/r" + html, "HTTP/1.1", "gzip", "Via: 1.1 cdn"});
        cases.add(new String[] {"GET", "/proxied/r" + html + "&expires=1", "HTTP/1.1", "gzip", "Via: 1.1 cdn"});
        cases.add(new String[] {"GET", "/proxied/r" + html + "&expires=0", "HTTP/1.1", "gzip", "Via: 1.1 cdn"});
        cases.add(new String[] {"GET", "/proxied/r" + html + "&cc=public", "HTTP/1.1", "gzip", "Via: x"});
        cases.add(new String[] {"GET", "/proxied/r" + html + "&lm=1&etag=%22e%22", "HTTP/1.1", "gzip", "Via: x"});
        cases.add(new String[] {"GET", "/proxied/r" + html + "&cc=public,%20no-cache", "HTTP/1.1", "gzip", "Via: x"});
        cases.add(new String[] {"GET", "/proxied/r" + html + "&cc=private", "HTTP/1.1", "gzip", "Via: x"});
        cases.add(new String[] {"GET", "/proxied/r" + html, "HTTP/1.1", "gzip", "Via: x", "Authorization: Basic eDp5"});
        cases.add(new String[] {"GET", "/r" + html, "HTTP/1.1", "gzip", "User-Agent: curl-DISABLED/8"});
        cases.add(new String[] {"GET", "/r" + html, "HTTP/1.1", "gzip",
                "User-Agent: Mozilla/4.0 (compatible; MSIE 6.0; Windows NT 5.1)"});
        cases.add(new String[] {"GET", "/r" + html, "HTTP/1.1", "gzip",
                "User-Agent: Mozilla/4.0 (compatible; MSIE 6.0; Windows NT 5.1; SV1)"});
        cases.add(new String[] {"GET", "/r" + html, "HTTP/1.1", "gzip",
                "User-Agent: Mozilla/4.0 (compatible; MSIE 5.5; Windows 98)"});
        List<String> mismatches = new ArrayList<>();
        for (String[] c : cases) {
            Map<String, String> n = fetch(both.nginxPort, c);
            Map<String, String> k = fetch(both.corralPort, c);
            if (!n.equals(k)) {
                mismatches.add(String.join(" | ", c) + "\n    nginx:  " + n + "\n    corral: " + k);
            }
        }
        if (!mismatches.isEmpty()) {
            fail(mismatches.size() + " of " + cases.size() + " differ:\n" + String.join("\n", mismatches));
        }
        assertTrue(cases.size() > 60);
    }

    /** Status, the gzip headers, whether there is a Content-Length, framing, and the decoded body. */
    private static Map<String, String> fetch(int port, String[] c) throws IOException {
        StringBuilder head = new StringBuilder(c[0] + " " + c[1] + " " + c[2] + "\r\nHost: gz.test\r\n"
                + "Connection: close\r\n");
        if (!c[3].isEmpty()) {
            head.append("Accept-Encoding: ").append(c[3]).append("\r\n");
        }
        for (String extra : Arrays.asList(c).subList(4, c.length)) {
            head.append(extra).append("\r\n");
        }
        byte[] raw;
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout(20_000);
            OutputStream out = s.getOutputStream();
            out.write(head.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            raw = s.getInputStream().readAllBytes();
        }
        String text = new String(raw, StandardCharsets.ISO_8859_1);
        int end = text.indexOf("\r\n\r\n");
        String[] lines = text.substring(0, end).split("\r\n");
        Map<String, String> seen = new TreeMap<>();
        seen.put("status", lines[0].split(" ")[1]);
        boolean chunked = false;
        boolean gzip = false;
        for (int i = 1; i < lines.length; i++) {
            String name = lines[i].substring(0, lines[i].indexOf(':')).toLowerCase(Locale.ROOT);
            String value = lines[i].substring(lines[i].indexOf(':') + 1).trim();
            if (COMPARED.contains(name)) {
                seen.merge(name, value, (a, b) -> a + ", " + b);
            }
            if (name.equals("content-length")) {
                seen.put("content-length", "present");
            }
            chunked |= name.equals("transfer-encoding") && value.equalsIgnoreCase("chunked");
            gzip |= name.equals("content-encoding") && value.equals("gzip");
        }
        byte[] body = Arrays.copyOfRange(raw, end + 4, raw.length);
        if (chunked && body.length > 0) {
            body = dechunk(body);
        }
        if (gzip && body.length > 0) {
            try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
                body = in.readAllBytes();
            }
        }
        seen.put("body", body.length + " bytes, hash " + Arrays.hashCode(body));
        if (!c[2].equals("HTTP/1.0")) {
            seen.put("chunked", Boolean.toString(chunked));
        }
        return seen;
    }

    private static byte[] dechunk(byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int p = 0;
        while (true) {
            int eol = indexOf(body, p);
            String sizeLine = new String(body, p, eol - p, StandardCharsets.ISO_8859_1);
            int size = Integer.parseInt(sizeLine.split(";")[0].trim(), 16);
            if (size == 0) {
                return out.toByteArray();
            }
            out.write(body, eol + 2, size);
            p = eol + 2 + size + 2;
        }
    }

    private static int indexOf(byte[] b, int from) {
        for (int i = from; i < b.length - 1; i++) {
            if (b[i] == '\r' && b[i + 1] == '\n') {
                return i;
            }
        }
        throw new IllegalStateException("bad chunked body");
    }
}
