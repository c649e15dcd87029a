package corral.proxy.listen;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.codahale.metrics.Gauge;
import com.codahale.metrics.MetricRegistry;
import corral.proxy.health.Availability;
import corral.proxy.rules.Router;
import corral.proxy.rules.VhostConfig;
import corral.proxy.rules.VhostLoader;
import corral.proxy.status.HttpRequests;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.SameThreadExecutor;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.xnio.OptionMap;
import org.xnio.Options;
import org.xnio.Xnio;
import org.xnio.XnioWorker;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * A traffic listener at its connection bound, with real sockets, as nginx behaves when it runs
 * short of {@code worker_connections}: idle keep-alive connections are closed oldest first to make
 * room for a newcomer, never one in the middle of a request; with every connection busy, the
 * newcomer waits in the kernel's backlog and is taken as soon as one closes or goes idle. The same
 * for a TLS port ({@code listen ... ssl http2}, HTTP/1.1 over TLS), where an HTTP/2 connection
 * with no open stream is idle too.
 */
class ListenerAtItsBoundIT {

    /** Drains from 7 connections on (nginx: fewer than bound / 16 free, here at least one). */
    private static final int BOUND = 8;
    private static final Duration PATIENCE = Duration.ofSeconds(20);

    private final MetricRegistry metrics = new MetricRegistry();
    private final BlockingQueue<HttpServerExchange> held = new LinkedBlockingQueue<>();
    private final AtomicInteger answered = new AtomicInteger();
    private final List<Socket> clients = new ArrayList<>();
    private XnioWorker worker;
    private TrafficListeners listeners;
    private int port;
    private final List<Path> temporary = new ArrayList<>();
    /** The vhost rules of a TLS test, and its client sockets' factory (null: plain sockets). */
    private volatile Router router;
    private SSLSocketFactory tls;

    @BeforeEach
    void listen() throws IOException {
        worker = Xnio.getInstance().createWorker(OptionMap.builder()
                .set(Options.WORKER_IO_THREADS, 2).set(Options.WORKER_TASK_MAX_THREADS, 4).getMap());
        listeners = new TrafficListeners(worker, "127.0.0.1", ClientLimits.DEFAULTS, "/health", new Availability(),
                () -> router, this::answerOrHold, metrics, HttpRequests.register(new PrometheusRegistry()));
        listeners.limitConnections(new ConnectionBudget(BOUND, Optional.empty()));
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        listeners.apply(Map.of(port, new PortRole.App("app")));
    }

    @AfterEach
    void close() throws IOException {
        for (Socket s : clients) {
            s.close();
        }
        listeners.close();
        worker.shutdownNow();
        for (Path dir : temporary) {
            try (var files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    /** {@code /hold} waits until the test releases it; anything else is answered at once. */
    private void answerOrHold(HttpServerExchange exchange) {
        if (exchange.getRequestPath().startsWith("/hold")) {
            exchange.dispatch(SameThreadExecutor.INSTANCE, () -> held.add(exchange));
        } else {
            answered.incrementAndGet();
            exchange.getResponseSender().send("ok");
        }
    }

    @ParameterizedTest(name = "tls={0}")
    @ValueSource(booleans = {false, true})
    void idleConnectionsAreClosedOldestFirstToAnswerANewcomerAndHalfARequestIsSpared(boolean tls) throws Exception {
        if (tls) {
            serveTls();
        }
        Socket half = connect();
        assertEquals("ok", exchange(half, "/ok"));
        awaitIdle(1); // the oldest idle connection, until:
        send(half, "GET /ok HTTP/1.1\r\nHost: corral\r\n"); // its next head not finished: in the middle of a request
        awaitIdle(0);
        List<Socket> idle = new ArrayList<>();
        for (int i = 1; i <= 9; i++) {
            Socket c = connect();
            assertEquals("ok", exchange(c, "/ok"));
            idle.add(c);
            awaitIdle(Math.min(i, 5)); // from the 6th on, each accept closed the oldest idle one
        }

        Socket newcomer = connect();
        assertEquals("ok", exchange(newcomer, "/ok"));

        for (Socket oldest : idle.subList(0, 5)) {
            assertTrue(closedByCorral(oldest), "one of the 5 oldest idle connections was kept");
        }
        for (Socket newest : idle.subList(5, 9)) {
            assertEquals("ok", exchange(newest, "/ok"), "a newer idle connection still serves");
        }
        send(half, "\r\n");
        assertEquals("ok", body(half), "the connection in the middle of its request was spared");
        assertEquals(5, metrics.counter("corral.listen.idle_closed").getCount());
    }

    @ParameterizedTest(name = "tls={0}")
    @ValueSource(booleans = {false, true})
    void withEveryConnectionBusyANewcomerWaitsInTheBacklogUntilOneGoesIdle(boolean tls) throws Exception {
        if (tls) {
            serveTls();
        }
        List<Socket> busy = new ArrayList<>();
        for (int i = 1; i <= BOUND; i++) {
            Socket c = connect();
            send(c, "GET /hold HTTP/1.1\r\nHost: corral\r\n\r\n");
            int n = i;
            await().atMost(PATIENCE).until(() -> held.size() == n);
            busy.add(c);
        }
        await().atMost(PATIENCE).until(() -> gauge("corral.listen.saturated") == 1);

        Socket newcomer = connect(); // the kernel completes the handshake; Corral does not accept it yet
        sendInBackground(newcomer, "GET /ok HTTP/1.1\r\nHost: corral\r\n\r\n"); // TLS: its handshake waits too
        assertEquals(0, answered.get(), "a newcomer was served while every connection was busy");
        assertEquals(0, metrics.counter("corral.listen.idle_closed").getCount(), "a busy connection was closed");

        release(false); // one request ends and its connection waits, idle, at the bound: it makes room
        assertEquals("released", body(busy.get(0)));
        assertEquals("ok", body(newcomer), "the newcomer was not taken in place of the idle connection");
        assertTrue(closedByCorral(busy.get(0)), "the idle connection was kept at the bound");
        for (int i = 1; i < BOUND; i++) {
            release(true);
        }
        for (Socket c : busy.subList(1, BOUND)) {
            assertEquals("released", body(c), "a busy connection was cut");
        }
        for (Socket c : clients) {
            c.close();
        }
        await().atMost(PATIENCE).until(() -> gauge("corral.listen.saturated") == 0);
    }

    @Test
    void connectionsThatSendNothingAreClosedOldestFirstForNewcomersAndAnotherPortKeepsAnswering() throws Exception {
        int other;
        try (ServerSocket free = new ServerSocket(0)) {
            other = free.getLocalPort();
        }
        listeners.apply(Map.of(port, new PortRole.App("app"), other, new PortRole.App("app")));
        Socket kept = connect(other);
        assertEquals("ok", exchange(kept, "/ok"));
        List<Socket> silent = new ArrayList<>();
        for (int i = 0; i < 4 * BOUND; i++) {
            silent.add(connect()); // sends nothing: reusable, as nginx's ngx_http_wait_request_handler makes it
        }
        // all are accepted in turn, each making room by closing the oldest: at most BOUND stay open
        await().atMost(PATIENCE).until(() -> metrics.counter("corral.listen.idle_closed").getCount() >= 3 * BOUND);
        assertTrue(closedByCorral(silent.get(0)), "the oldest connection that sent nothing was kept");
        assertEquals("ok", exchange(silent.get(4 * BOUND - 1), "/ok"), "the newest one was not served");
        assertEquals("ok", exchange(connect(), "/ok"), "a newcomer was not served");
        assertEquals("ok", exchange(kept, "/ok"), "a kept-alive connection to another port");
        assertEquals("ok", exchange(connect(other), "/ok"), "a new connection to another port");
    }

    @Test
    void anHttp2ConnectionWithNoOpenStreamIsIdleAndGoesFirstAsTheOldestWithAGoAway() throws Exception {
        serveTls();
        Socket h2 = connect(port, "h2");
        DataInputStream in = new DataInputStream(h2.getInputStream());
        OutputStream out = h2.getOutputStream();
        out.write("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        frame(out, 0x4, 0, 0, new byte[0]); // SETTINGS, none
        // HEADERS, END_STREAM | END_HEADERS, stream 1, HPACK: GET, https, "/", :authority tls.test
        byte[] authority = "tls.test".getBytes(StandardCharsets.US_ASCII);
        ByteArrayOutputStream block = new ByteArrayOutputStream();
        block.write(new byte[] {(byte) 0x82, (byte) 0x87, (byte) 0x84, 0x41, (byte) authority.length});
        block.write(authority);
        frame(out, 0x1, 0x5, 1, block.toByteArray());
        out.flush();
        while (true) { // to the end of stream 1's response
            Frame f = Frame.read(in);
            if (f.stream() == 1 && (f.flags() & 0x1) != 0) {
                break;
            }
        }
        awaitIdle(1); // its only stream ended: idle, as nginx's ngx_http_v2_handle_connection makes it
        List<Socket> idle = new ArrayList<>();
        for (int i = 1; i <= 6; i++) { // the 6th brings the listener to 7: one closed, the oldest idle
            Socket c = connect();
            assertEquals("ok", exchange(c, "/ok"));
            idle.add(c);
        }
        await().atMost(PATIENCE).until(() -> metrics.counter("corral.listen.idle_closed").getCount() == 1);
        for (Socket newer : idle) {
            assertEquals("ok", exchange(newer, "/ok"), "an HTTP/1.1 connection newer than the HTTP/2 one was closed");
        }
        Frame f;
        do {
            f = Frame.read(in); // an EOFException here: closed without a GOAWAY
        } while (f.type() != 0x7);
        assertEquals(1, ByteBuffer.wrap(f.payload()).getInt(0), "GOAWAY's last stream");
        assertEquals(0, ByteBuffer.wrap(f.payload()).getInt(4), "GOAWAY's error code: NO_ERROR");
        assertTrue(closedByCorral(h2), "the connection was closed after its GOAWAY");
    }

    private record Frame(int type, int flags, int stream, byte[] payload) {
        static Frame read(DataInputStream in) throws IOException {
            int length = in.readUnsignedShort() << 8 | in.readUnsignedByte();
            int type = in.readUnsignedByte();
            int flags = in.readUnsignedByte();
            int stream = in.readInt() & 0x7fffffff;
            byte[] payload = new byte[length];
            in.readFully(payload);
            return new Frame(type, flags, stream, payload);
        }
    }

    private static void frame(OutputStream out, int type, int flags, int stream, byte[] payload) throws IOException {
        ByteBuffer head = ByteBuffer.allocate(9);
        head.put((byte) (payload.length >>> 16)).put((byte) (payload.length >>> 8)).put((byte) payload.length);
        head.put((byte) type).put((byte) flags).putInt(stream);
        out.write(head.array());
        out.write(payload);
    }

    /** Serves {@code port} as a vhost TLS port ({@code listen ... ssl http2}) instead of a plain app port. */
    private void serveTls() throws Exception {
        Path dir = Files.createTempDirectory("corral-tls-bound");
        temporary.add(dir);
        run(dir, "/usr/bin/openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "t.key", "-out", "t.crt",
                "-subj", "/CN=tls.test", "-days", "2");
        Files.writeString(dir.resolve("tls.conf"), """
                server {
                    listen PORT ssl http2;
                    server_name tls.test;
                    ssl_certificate DIR/t.crt;
                    ssl_certificate_key DIR/t.key;
                    location / { proxy_pass http://app; }
                }
                """.replace("PORT", Integer.toString(port)).replace("DIR", dir.toString()));
        VhostConfig config = VhostLoader.load(dir.resolve("tls.conf"), Set.of("app"));
        router = config;
        listeners.apply(Map.of(port, new PortRole.Vhost(Optional.empty(), config.tls(port))));
        tls = trustAll().getSocketFactory();
    }

    private static void run(Path in, String... command) throws Exception {
        Process p = new ProcessBuilder(command).directory(in.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
    }

    /** Trusts any certificate and any name: the test's own self-signed one. */
    private static SSLContext trustAll() throws Exception {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, new TrustManager[] {new X509ExtendedTrustManager() {
            @Override public void checkClientTrusted(X509Certificate[] c, String a, Socket s) { }
            @Override public void checkServerTrusted(X509Certificate[] c, String a, Socket s) { }
            @Override public void checkClientTrusted(X509Certificate[] c, String a, SSLEngine e) { }
            @Override public void checkServerTrusted(X509Certificate[] c, String a, SSLEngine e) { }
            @Override public void checkClientTrusted(X509Certificate[] c, String a) { }
            @Override public void checkServerTrusted(X509Certificate[] c, String a) { }
            @Override public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        }}, null);
        return context;
    }

    /** Sends from another thread: a TLS socket's first write waits for its handshake, which waits for an accept. */
    private void sendInBackground(Socket s, String text) {
        Thread t = new Thread(() -> {
            try {
                send(s, text);
            } catch (IOException e) {
                // the test then fails on the missing answer
            }
        });
        t.setDaemon(true);
        t.start();
    }

    private void release(boolean close) throws InterruptedException {
        HttpServerExchange exchange = held.take();
        exchange.getIoThread().execute(() -> {
            exchange.setPersistent(!close);
            exchange.getResponseSender().send("released");
        });
    }

    private Socket connect() throws IOException {
        return connect(port);
    }

    private Socket connect(int to) throws IOException {
        return connect(to, "http/1.1");
    }

    /** A TCP connection, or on the TLS port a TLS one offering {@code alpn}. */
    private Socket connect(int to, String alpn) throws IOException {
        Socket s = new Socket();
        clients.add(s);
        s.connect(new InetSocketAddress("127.0.0.1", to), 10_000);
        s.setSoTimeout((int) PATIENCE.toMillis());
        if (tls == null || to != port) {
            return s;
        }
        SSLSocket secure = (SSLSocket) tls.createSocket(s, "tls.test", to, true);
        clients.add(secure);
        SSLParameters params = secure.getSSLParameters();
        params.setApplicationProtocols(new String[] {alpn});
        secure.setSSLParameters(params);
        return secure;
    }

    private static void send(Socket s, String text) throws IOException {
        s.getOutputStream().write(text.getBytes(StandardCharsets.US_ASCII));
        s.getOutputStream().flush();
    }

    private static String exchange(Socket s, String path) throws IOException {
        send(s, "GET " + path + " HTTP/1.1\r\nHost: corral\r\n\r\n");
        return body(s);
    }

    /** Reads one response with a Content-Length and returns its body. */
    private static String body(Socket s) throws IOException {
        InputStream in = s.getInputStream();
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("closed after " + head);
            }
            head.append((char) b);
        }
        String lower = head.toString().toLowerCase();
        int at = lower.indexOf("content-length:");
        int length = Integer.parseInt(lower.substring(at + 15, lower.indexOf("\r\n", at)).trim());
        return new String(in.readNBytes(length), StandardCharsets.UTF_8);
    }

    /** True if the server closed the connection (end of stream, or a reset). */
    private static boolean closedByCorral(Socket s) throws IOException {
        try {
            return s.getInputStream().read() < 0;
        } catch (SocketException | SSLException reset) {
            return true;
        }
    }

    private void awaitIdle(int count) {
        await().atMost(PATIENCE).until(() -> gauge("corral.listen.idle") == count);
    }

    private long gauge(String name) {
        Gauge<?> g = metrics.getGauges().get(name);
        return g == null ? -1 : ((Number) g.getValue()).longValue();
    }
}
