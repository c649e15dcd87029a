package corral.proxy.badinput;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import corral.fixtures.CorralHome;
import corral.fixtures.ProcessLeaks;
import corral.fixtures.RawHttp;
import corral.fixtures.StatusJson;
import corral.fixtures.TestHttp;
import corral.proxy.install.CorralInstall;
import corral.proxy.install.PackagedDaemon;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Malformed and hostile HTTP at both kinds of listener (h5's app port, the vhost port) of one
 * daemon with real instances: each gets a 4xx (501 for an unknown transfer coding) or a closed
 * connection, never another 5xx or a hang;
 * no request reaches an instance that Corral did not itself read as a request (no smuggling);
 * slow and silent clients are cut off while others are served; a URI rewritten by the rules
 * never carries a dot segment to an instance. At the end the daemon and every instance are the
 * ones that started, and no handler failed.
 */
@ExtendWith(PackagedDaemon.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BadInputHttpIT {

    @RegisterExtension
    static final CorralHome HOME = new CorralHome();

    /** Short, so the slowloris test is bounded; nginx's defaults are 60 s and 75 s. */
    static final Duration HEADER_TIMEOUT = Duration.ofSeconds(2);
    static final Duration IDLE_TIMEOUT = Duration.ofSeconds(4);
    static final Duration WAIT = Duration.ofSeconds(5);
    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = TestHttp.client(Duration.ofSeconds(5));

    static CorralInstall corral;
    static long daemonPid;
    static Set<Long> workersAtStart;

    @BeforeAll
    static void start() throws Exception {
        corral = new CorralInstall(HOME);
        // The daemon's settings file beside pm2.json, as conf/corral.properties is beside the shipped one.
        Files.writeString(corral.release.resolve("corral.properties"), "client.header.timeout.ms = "
                + HEADER_TIMEOUT.toMillis() + "\nclient.idle.timeout.ms = " + IDLE_TIMEOUT.toMillis() + "\n");
        corral.writeGoodConfig(1, 2, "");
        corral.writeVhost(List.of(CorralInstall.CONFIG.resolve("good/vhost/default.conf"),
                CorralInstall.CONFIG.resolveSibling("http/files.conf")));
        corral.ok("start");
        daemonPid = corral.daemonPid();
        workersAtStart = StatusJson.allPids(corral.adminStatus());
    }

    @AfterAll
    static void kill() throws Exception {
        if (corral != null) {
            corral.kill();
        }
    }

    // ---- malformed requests ----------------------------------------------------------------

    static Stream<Arguments> malformedOnBothListeners() {
        List<Arguments> out = new ArrayList<>();
        malformed().forEach((label, request) -> {
            out.add(Arguments.of(label, "app", request));
            out.add(Arguments.of(label, "vhost", request));
        });
        return out.stream();
    }

    /** Broken request lines and heads, huge heads, non-UTF-8 bytes where HTTP allows none. */
    static Map<String, byte[]> malformed() {
        Map<String, byte[]> m = new LinkedHashMap<>();
        m.put("request line without a version", bytes("GET /h5/page/x\r\n\r\n"));
        m.put("request line that is one word", bytes("HELLO\r\n\r\n"));
        m.put("binary noise", noise());
        m.put("version HTTP/2.0 in a text request", bytes("GET /h5/page/x HTTP/2.0\r\nHost: a\r\n\r\n"));
        m.put("a fourth word on the request line", bytes("GET /h5/page/x HTTP/1.1 extra\r\nHost: a\r\n\r\n"));
        m.put("lower-case method", bytes("get /h5/page/x HTTP/1.1\r\nHost: a\r\n\r\n"));
        m.put("method with a slash", bytes("GE/T /h5/page/x HTTP/1.1\r\nHost: a\r\n\r\n"));
        m.put("lines ended by LF alone", bytes("GET /h5/page/x HTTP/1.1\nHost: a\n\n"));
        m.put("NUL in the path", bytes("GET /h5/page/\0x HTTP/1.1\r\nHost: a\r\n\r\n"));
        m.put("space in the path", bytes("GET /h5/page/a b HTTP/1.1\r\nHost: a\r\n\r\n"));
        m.put("non-UTF-8 bytes in the path", bytes("GET /h5/page/\u00ff\u00fe HTTP/1.1\r\nHost: a\r\n\r\n"));
        m.put("percent-encoded non-UTF-8 in the path", bytes("GET /h5/page/%ff%fe HTTP/1.1\r\nHost: a\r\n\r\n"));
        m.put("non-UTF-8 bytes in Host", bytes("GET /h5/page/x HTTP/1.1\r\nHost: \u00ff\u00fe\r\n\r\n"));
        m.put("non-UTF-8 bytes in a header name", bytes("GET /h5/page/x HTTP/1.1\r\nHost: a\r\nX-\u00ff: 1\r\n\r\n"));
        m.put("header line without a colon", bytes("GET /h5/page/x HTTP/1.1\r\nHost: a\r\nBroken\r\n\r\n"));
        m.put("space before a header's colon", bytes("GET /h5/page/x HTTP/1.1\r\nHost : a\r\n\r\n"));
        m.put("HTTP/1.1 without Host", bytes("GET /h5/page/x HTTP/1.1\r\n\r\n"));
        m.put("two Host headers", bytes("GET /h5/page/x HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n"));
        m.put("absolute form naming another host than Host", bytes("GET http://127.0.0.1:9/ HTTP/1.1\r\nHost: a\r\n\r\n"));
        m.put("CONNECT to a port of this machine", bytes("CONNECT 127.0.0.1:22 HTTP/1.1\r\nHost: 127.0.0.1:22\r\n\r\n"));
        m.put("OPTIONS *", bytes("OPTIONS * HTTP/1.1\r\nHost: a\r\n\r\n"));
        m.put("a 20 KiB header", bytes("GET /h5/page/x HTTP/1.1\r\nHost: a\r\nX-Big: " + "a".repeat(20_000) + "\r\n\r\n"));
        m.put("a 20 KiB request line", bytes("GET /h5/page/" + "a".repeat(20_000) + " HTTP/1.1\r\nHost: a\r\n\r\n"));
        m.put("100 headers of 1 KiB", bytes("GET /h5/page/x HTTP/1.1\r\nHost: a\r\n" + manyHeaders(100, 1000) + "\r\n"));
        m.put("300 small headers", bytes("GET /h5/page/x HTTP/1.1\r\nHost: a\r\n" + manyHeaders(300, 1) + "\r\n"));
        m.put("a 2 MiB header", bytes("GET /h5/page/x HTTP/1.1\r\nHost: a\r\nX-Big: " + "a".repeat(2 << 20) + "\r\n\r\n"));
        m.put("a POST with a 20 KiB header", bytes("POST /h5/echo HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nX-Big: "
                + "a".repeat(20_000) + "\r\n\r\nabc"));
        return m;
    }

    @ParameterizedTest(name = "{0} on the {1} listener")
    @MethodSource("malformedOnBothListeners")
    @Order(1)
    void aMalformedRequestGetsA4xxOrAClosedConnection(String label, String listener, byte[] request) throws Exception {
        RawHttp.Response reply = RawHttp.exchange(port(listener), request, WAIT);

        assertTrue(reply.answered() ? reply.status() / 100 == 4 : !reply.how().equals("silent"),
                label + " on the " + listener + " listener: " + reply);
    }

    // ---- request smuggling -----------------------------------------------------------------

    /**
     * Requests framed two ways at once. Each hides a second request (its marker in the path)
     * where only a reader that frames the message differently from Corral would find it. The
     * strict ones must be refused outright; for all of them, what the instances received must
     * be exactly what Corral itself read as requests.
     */
    static Map<String, byte[]> smuggling(String tag) {
        Map<String, byte[]> m = new LinkedHashMap<>();
        String hidden = "GET /h5/page/%s HTTP/1.1\r\nHost: a\r\n\r\n";
        m.put("cl-te", bytes("POST /h5/echo HTTP/1.1\r\nHost: a\r\nContent-Length: 6\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "0\r\n\r\nX" + hidden.formatted("smuggled-cl-te-" + tag)));
        String chunk = hidden.formatted("smuggled-te-cl-" + tag);
        m.put("te-cl", bytes("POST /h5/echo HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nContent-Length: 4\r\n\r\n"
                + Integer.toHexString(chunk.length()) + "\r\n" + chunk + "\r\n0\r\n\r\n"));
        m.put("two-content-lengths", bytes("POST /h5/echo HTTP/1.1\r\nHost: a\r\nContent-Length: 0\r\nContent-Length: 44\r\n\r\n"
                + hidden.formatted("smuggled-two-content-lengths-" + tag)));
        m.put("content-length-list", bytes("POST /h5/echo HTTP/1.1\r\nHost: a\r\nContent-Length: 3, 44\r\n\r\nabc"
                + hidden.formatted("smuggled-content-length-list-" + tag)));
        m.put("content-length-negative", bytes("POST /h5/echo HTTP/1.1\r\nHost: a\r\nContent-Length: -1\r\n\r\n"
                + hidden.formatted("smuggled-content-length-negative-" + tag)));
        m.put("content-length-plus", bytes("POST /h5/echo HTTP/1.1\r\nHost: a\r\nContent-Length: +3\r\n\r\nabc"
                + hidden.formatted("smuggled-content-length-plus-" + tag)));
        m.put("te-xchunked", bytes("POST /h5/echo HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nTransfer-Encoding: xchunked\r\n\r\n"
                + "0\r\n\r\n" + hidden.formatted("smuggled-te-xchunked-" + tag)));
        m.put("te-space-before-colon", bytes("POST /h5/echo HTTP/1.1\r\nHost: a\r\nTransfer-Encoding : chunked\r\n"
                + "Content-Length: 5\r\n\r\n0\r\n\r\n" + hidden.formatted("smuggled-te-space-before-colon-" + tag)));
        m.put("te-twice", bytes("POST /h5/echo HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: identity\r\n"
                + "Content-Length: 5\r\n\r\n0\r\n\r\n" + hidden.formatted("smuggled-te-twice-" + tag)));
        m.put("te-in-http-1.0", bytes("POST /h5/echo HTTP/1.0\r\nHost: a\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n"
                + "0\r\n\r\n" + hidden.formatted("smuggled-te-in-http-1.0-" + tag)));
        m.put("bare-cr-in-header", bytes("POST /h5/echo HTTP/1.1\r\nHost: a\r\nX: a\rTransfer-Encoding: chunked\r\n"
                + "Content-Length: 5\r\n\r\n0\r\n\r\n" + hidden.formatted("smuggled-bare-cr-in-header-" + tag)));
        // Refused since issue 11 (StrictFraming, ChunkedFraming); the full corpus is FramingCorpusIT.
        m.put("te-chunked-not-last", bytes("POST /h5/echo HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked, identity\r\n\r\n"
                + "0\r\n\r\n" + hidden.formatted("smuggled-te-chunked-not-last-" + tag)));
        m.put("chunk-longer-than-its-size", bytes("POST /h5/echo HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "3\r\nabcdef\r\n0\r\n\r\n" + hidden.formatted("smuggled-chunk-longer-than-its-size-" + tag)));
        m.put("chunk-size-overflow", bytes("POST /h5/echo HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "fffffffffffffffff1\r\nabc\r\n0\r\n\r\n" + hidden.formatted("smuggled-chunk-size-overflow-" + tag)));
        // Not refused (HTTP allows or tolerates them): only the second half of the rule applies.
        m.put("lenient:chunk-extension", bytes("POST /h5/echo HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "3;x=\"0\r\n\r\n\"\r\nabc\r\n0\r\n\r\n" + hidden.formatted("smuggled-chunk-extension-" + tag)));
        String body = hidden.formatted("smuggled-get-with-a-body-" + tag);
        m.put("lenient:get-with-a-body", bytes("GET /h5/page/x HTTP/1.1\r\nHost: a\r\nContent-Length: " + body.length()
                + "\r\n\r\n" + body));
        return m;
    }

    @Test
    @Order(2)
    void noRequestIsSmuggledPastTheListenersToAnInstance() throws Exception {
        List<String> refusedWrongly = new ArrayList<>();
        List<String> markers = new ArrayList<>();
        for (String listener : List.of("app", "vhost")) {
            for (Map.Entry<String, byte[]> e : smuggling(listener).entrySet()) {
                RawHttp.Response reply = RawHttp.exchange(port(listener), e.getValue(), WAIT);
                markers.add("smuggled-" + e.getKey().replace("lenient:", "") + "-" + listener);
                // 501 is nginx's (and RFC 9112 §6.1's) answer to a coding the server does not implement.
                boolean refused = reply.answered() ? reply.status() / 100 == 4 || reply.status() == 501
                        : !reply.how().equals("silent");
                if (!e.getKey().startsWith("lenient:") && !refused) {
                    refusedWrongly.add(e.getKey() + " on the " + listener + " listener: " + reply);
                }
            }
        }
        assertEquals(List.of(), refusedWrongly, "ambiguous framing must get a 4xx or a closed connection");

        Thread.sleep(2000); // the access log is flushed every second; instance logs as they are written
        String accessLog = Files.readString(corral.logDir().resolve("access.log"));
        String instanceLogs = InstanceLogs.of(corral);
        List<String> smuggled = new ArrayList<>();
        for (String marker : markers) {
            long atInstances = InstanceLogs.count(instanceLogs, marker);
            long readByCorral = InstanceLogs.count(accessLog, marker);
            if (atInstances != readByCorral) {
                smuggled.add(marker + ": " + atInstances + " at the instances, " + readByCorral + " read by Corral");
            }
        }
        assertEquals(List.of(), smuggled, "requests reached an instance that Corral never read as requests");
    }

    // ---- slow and silent clients -----------------------------------------------------------

    @Test
    @Order(3)
    void slowAndSilentClientsAreCutOffWhileOthersAreServed() throws Exception {
        List<SlowClient> clients = new ArrayList<>();
        try {
            for (String listener : List.of("app", "vhost")) {
                for (int i = 0; i < 8; i++) {
                    clients.add(SlowClient.open(listener, port(listener), true));
                }
                for (int i = 0; i < 2; i++) {
                    clients.add(SlowClient.open(listener, port(listener), false));
                }
            }
            long deadline = System.nanoTime() + IDLE_TIMEOUT.plusSeconds(6).toNanos();
            int served = 0;
            int servedBeside = 0;
            while (clients.stream().anyMatch(c -> c.closedAfter == null) && System.nanoTime() < deadline) {
                assertServed(served++ % 2 == 0 ? corral.h5Port : corral.vhostPort);
                for (SlowClient c : clients) {
                    c.trickle();
                }
                if (clients.stream().anyMatch(c -> c.closedAfter == null)) {
                    servedBeside++;
                }
                Thread.sleep(300);
            }
            // Served beside them, not after them: a normal client was answered while slow ones still
            // held their connections (a listener that made it wait for them to be cut would answer
            // only once every one is closed). Checked on the event, not as a time: how fast it is
            // answered is bench/'s to measure.
            assertTrue(servedBeside > 0, "no normal client was answered before every slow one was cut off ("
                    + served + " served)");
            for (SlowClient c : clients) {
                // A time is the property here: cut by its own timeout, not by a later one (the 3 s
                // are for the loop, which sees a close only on its next look).
                Duration limit = (c.sendsHeaders ? HEADER_TIMEOUT : IDLE_TIMEOUT).plusSeconds(3);
                assertTrue(c.closedAfter != null, c + " is still open");
                assertTrue(c.closedAfter.compareTo(limit) <= 0, c + ": closed only after " + c.closedAfter);
                assertTrue(c.status == 0 || c.status / 100 == 4, c + ": answered " + c.status);
            }
        } finally {
            for (SlowClient c : clients) {
                c.socket.close();
            }
        }
    }

    private static void assertServed(int port) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/h5/page/fine"))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), "a normal client beside the slow ones");
    }

    /** A client that sends its request head one header line at a time, or nothing at all. */
    private static final class SlowClient {
        final String listener;
        final Socket socket;
        final boolean sendsHeaders;
        final long openedAt = System.nanoTime();
        Duration closedAfter;
        int status;
        int linesSent;

        private SlowClient(String listener, Socket socket, boolean sendsHeaders) {
            this.listener = listener;
            this.socket = socket;
            this.sendsHeaders = sendsHeaders;
        }

        static SlowClient open(String listener, int port, boolean sendsHeaders) throws IOException {
            Socket socket = RawHttp.connect(port, Duration.ofMillis(10));
            SlowClient c = new SlowClient(listener, socket, sendsHeaders);
            if (sendsHeaders) {
                c.send("GET /h5/page/slow HTTP/1.1\r\nHost: a\r\n");
            }
            return c;
        }

        /** One more header line (if it sends any), then a look whether the server ended it. */
        void trickle() throws IOException {
            if (closedAfter != null) {
                return;
            }
            try {
                if (sendsHeaders) {
                    send("X-Slow-" + linesSent++ + ": x\r\n");
                }
                InputStream in = socket.getInputStream();
                int first = in.read();
                if (first >= 0) {
                    ByteArrayOutputStream head = new ByteArrayOutputStream();
                    head.write(first);
                    head.write(in.readNBytes(Math.min(in.available(), 64)));
                    String text = head.toString(StandardCharsets.ISO_8859_1);
                    status = text.startsWith("HTTP/1.1 ") ? Integer.parseInt(text.substring(9, 12)) : -1;
                }
                closed();
            } catch (SocketTimeoutException e) {
                // still open: nothing to read yet
            } catch (IOException e) {
                closed(); // reset, or written into a closed connection
            }
        }

        private void send(String text) throws IOException {
            OutputStream out = socket.getOutputStream();
            out.write(text.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
        }

        private void closed() {
            closedAfter = Duration.ofNanos(System.nanoTime() - openedAt);
        }

        @Override
        public String toString() {
            return (sendsHeaders ? "a slowloris client" : "a silent client") + " of the " + listener + " listener";
        }
    }

    // ---- path traversal through the rules --------------------------------------------------

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
        "/c/../../etc/passwd", "/c/..%2f..%2fetc%2fpasswd", "/c/%2e%2e/%2e%2e/etc/passwd", "/c/%2e%2e%2f%2e%2e%2fadmin",
        "/c/x/..%2F..%2F..%2Fadmin", "/c/%252e%252e%252fadmin", "/c/..%252f..%252fadmin", "/c/..;/admin",
        "/c/.%00./admin", "/c/%c0%ae%c0%ae/admin", "/c/a/b/../../../../x", "/c//..//..//admin", "/c/%2E%2E",
        "/c/.%2e/x", "/c/%5c..%5c..%5cadmin", "/api/..%2f..%2fadmin", "/api/%2e%2e/%2e%2e/admin",
        "/api/x%2f..%2f..%2fadmin", "/re/..%2f..%2fadmin", "/re/%2e%2e", "/re/%252e%252e/x",
        "/m/..%2f..%2fnuomi/component/x", "/m/%2e%2e", "/m/%252e%252e", "/nuomi/component/%2e%2e%2f%2e%2e%2fx"})
    @Order(4)
    void aRewrittenUriNeverTakesADotSegmentToAnInstance(String path) throws Exception {
        RawHttp.Response reply = RawHttp.exchange(corral.vhostPort,
                bytes("GET " + path + " HTTP/1.1\r\nHost: files.test\r\nConnection: close\r\n\r\n"), WAIT);

        assertTrue(reply.answered(), path + ": " + reply);
        assertTrue(reply.status() / 100 != 5, path + ": " + reply);
        if (reply.status() / 100 == 3) {
            assertFalse(hasDotSegment(reply.header("Location").orElse("")), path + ": " + reply);
        }
        if (reply.status() / 100 == 2) {
            assertTrue(reply.fromWorker(), path + ": " + reply);
            String received = JSON.readTree(reply.body()).path("url").asText();
            assertTrue(received.startsWith("/nuomi/component/"), path + " reached the instance as " + received);
            assertFalse(hasDotSegment(received), path + " reached the instance as " + received);
        }
    }

    /** Whether a path, percent-decoded once (as the instance decodes it), has a "." or ".." segment. */
    static boolean hasDotSegment(String uri) {
        String path = uri.replaceFirst("[?#].*", "");
        ByteArrayOutputStream decoded = new ByteArrayOutputStream();
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c == '%' && i + 2 < path.length() && path.substring(i + 1, i + 3).matches("[0-9a-fA-F]{2}")) {
                decoded.write(Integer.parseInt(path.substring(i + 1, i + 3), 16));
                i += 2;
            } else {
                decoded.write(c);
            }
        }
        for (String segment : decoded.toString(StandardCharsets.UTF_8).split("/", -1)) {
            if (segment.equals(".") || segment.equals("..")) {
                return true;
            }
        }
        return false;
    }

    // ---- nothing broke ---------------------------------------------------------------------

    @Test
    @Order(5)
    void afterAllOfItTheDaemonAndEveryInstanceStillServeAndNoHandlerFailed() throws Exception {
        assertTrue(ProcessLeaks.isRunning(daemonPid), "the daemon died");
        assertEquals(daemonPid, corral.daemonPid());
        JsonNode status = corral.adminStatus();
        assertEquals(workersAtStart, StatusJson.allPids(status), "an instance was replaced: " + status);
        for (int port : new int[] {corral.nuomiPort, corral.h5Port, corral.vhostPort}) {
            assertEquals(200, TestHttp.get(URI.create("http://127.0.0.1:" + port + "/health")).statusCode());
        }
        String log = Files.readString(corral.logDir().resolve("corral.log"));
        assertFalse(log.contains("UT005071"), "a handler failed (Undertow request failed):\n" + grep(log, "UT005071"));
    }

    // ---- helpers ---------------------------------------------------------------------------

    static int port(String listener) {
        return listener.equals("app") ? corral.h5Port : corral.vhostPort;
    }

    static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static byte[] noise() {
        byte[] noise = new byte[512];
        new Random(42).nextBytes(noise);
        byte[] request = new byte[noise.length + 4];
        System.arraycopy(noise, 0, request, 0, noise.length);
        System.arraycopy(bytes("\r\n\r\n"), 0, request, noise.length, 4);
        return request;
    }

    private static String manyHeaders(int count, int size) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < count; i++) {
            s.append("X-H").append(i).append(": ").append("b".repeat(size)).append("\r\n");
        }
        return s.toString();
    }

    private static String grep(String text, String word) {
        return text.lines().filter(l -> l.contains(word)).limit(5).reduce("", (a, b) -> a + b + "\n");
    }
}
