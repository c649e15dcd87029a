package corral.proxy.badinput;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import corral.fixtures.AppProcess;
import corral.fixtures.CorralHome;
import corral.fixtures.FreePorts;
import corral.fixtures.RawHttp;
import corral.fixtures.TestHttp;
import corral.proxy.badinput.FramingCorpus.Case;
import corral.proxy.install.CorralInstall;
import corral.proxy.install.PackagedDaemon;
import corral.proxy.rules.NginxOracle;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The framing corpus ({@link FramingCorpus}) against a packaged Corral (h5's app port, the vhost
 * port, the admin port) and, in the same run, against a real nginx with the same vhost rules and
 * an app-port server that proxies everything to h5, each with its own real node instances. Per
 * case and listener: the status, that a refusal closed the connection, and from the instances'
 * own logs that exactly the legitimate requests reached them and no hidden one. Where Corral and
 * nginx differ, the case says so and why; an undeclared difference, or a declared one that no
 * longer happens, fails the test, so docs/http-strictness.md cannot drift from what runs.
 */
@ExtendWith(PackagedDaemon.class)
class FramingCorpusIT {

    @RegisterExtension
    static final CorralHome HOME = new CorralHome();

    static final Duration WAIT = Duration.ofSeconds(3);
    /** How long a connection gets to close after a refusal. */
    static final Duration CLOSE_WAIT = Duration.ofSeconds(2);

    /** A listener under test. */
    enum Front {
        CORRAL_APP("ca", false), CORRAL_VHOST("cv", false), CORRAL_ADMIN("cd", false),
        NGINX_APP("na", true), NGINX_VHOST("nv", true);

        final String code;
        final boolean nginx;

        Front(String code, boolean nginx) {
            this.code = code;
            this.nginx = nginx;
        }
    }

    /** What came back on one connection; {@code closed} is only looked at where Corral refused. */
    record Outcome(int status, boolean closed, String how) {
        @Override
        public String toString() {
            return (status == 0 ? how : Integer.toString(status)) + (closed ? ", closed" : ", kept open");
        }
    }

    static CorralInstall corral;
    static NginxOracle nginx;
    static final List<AppProcess> NGINX_INSTANCES = new ArrayList<>();
    static final Map<Front, Integer> PORTS = new LinkedHashMap<>();
    static final AtomicInteger SENTINEL_ROUNDS = new AtomicInteger();

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(NginxOracle.available(), "nginx is not installed at " + NginxOracle.BINARY);
        corral = new CorralInstall(HOME);
        corral.writeGoodConfig(2, 2, "");
        corral.ok("start");
        PORTS.put(Front.CORRAL_APP, corral.h5Port);
        PORTS.put(Front.CORRAL_VHOST, corral.vhostPort);
        PORTS.put(Front.CORRAL_ADMIN, corral.adminPort());

        Path dir = Files.createDirectories(HOME.path().resolve("nginx"));
        Map<String, Integer> upstreams = new LinkedHashMap<>();
        for (String app : List.of("h5", "nuomi")) {
            AppProcess instance = AppProcess.start(dir.resolve(app), Map.of("APP_NAME", app));
            NGINX_INSTANCES.add(instance);
            instance.awaitListening(Duration.ofSeconds(20));
            upstreams.put(app, instance.port());
        }
        int[] ports = FreePorts.pick(2);
        PORTS.put(Front.NGINX_APP, ports[0]);
        PORTS.put(Front.NGINX_VHOST, ports[1]);
        // The same rules as Corral's vhost port; the app port is what pm2.json's PORT means to Corral.
        Files.writeString(dir.resolve("default.conf"), Files.readString(CorralInstall.CONFIG.resolve("good/vhost/default.conf"))
                .replace("@VHOST_PORT@", Integer.toString(ports[1])));
        Files.writeString(dir.resolve("app.conf"), "server {\n    listen " + ports[0] + ";\n"
                + "    location / {\n        proxy_pass http://h5;\n    }\n}\n");
        nginx = NginxOracle.start(dir, upstreams, List.of(ports[0], ports[1]));
    }

    @AfterAll
    static void stop() throws Exception {
        if (nginx != null) {
            nginx.close();
        }
        NGINX_INSTANCES.forEach(AppProcess::close);
        if (corral != null) {
            corral.kill();
        }
    }

    @Test
    void everyCaseIsAnsweredAsDeclaredOnEveryListenerAndNothingHiddenReachesAnInstance() throws Exception {
        List<Case> cases = FramingCorpus.all();
        assertTrue(cases.size() >= 60, "the corpus has " + cases.size() + " cases");
        Map<String, Outcome> outcomes = new LinkedHashMap<>();
        for (int i = 0; i < cases.size(); i++) {
            Case c = cases.get(i);
            for (Front front : Front.values()) {
                if (front == Front.CORRAL_ADMIN && !c.refused()) {
                    continue; // the admin port answers 401/404 to the legitimate ones: only framing is compared there
                }
                outcomes.put(key(i, front), send(PORTS.get(front), c, i, front));
            }
        }
        String corralLogs = awaitSentinels(false);
        String nginxLogs = awaitSentinels(true);

        List<String> wrong = new ArrayList<>();
        for (int i = 0; i < cases.size(); i++) {
            Case c = cases.get(i);
            for (Front front : Front.values()) {
                Outcome o = outcomes.get(key(i, front));
                if (o != null) {
                    check(c, i, front, o, front.nginx ? nginxLogs : corralLogs, wrong);
                }
            }
        }
        if (!wrong.isEmpty()) {
            fail(wrong.size() + " findings over " + cases.size() + " cases:\n" + String.join("\n", wrong));
        }
    }

    private static void check(Case c, int i, Front front, Outcome o, String logs, List<String> wrong) {
        String where = String.format("#%d %s on %s: ", i, c.name(), front);
        int expected = front == Front.CORRAL_ADMIN ? c.status() : c.statusFor(front.nginx);
        if (o.status() != expected) {
            wrong.add(where + "expected " + (expected == 0 ? "a close" : expected) + ", got " + o
                    + (c.why() == null ? "" : " (declared difference: " + c.why() + ")"));
        } else if (!front.nginx && (expected == 0 || expected >= 400) && !o.closed()) {
            wrong.add(where + "refused but the connection stayed open");
        }
        if (front == Front.CORRAL_ADMIN) {
            return;
        }
        String reaches = c.reachesFor(front.nginx);
        for (String letter : List.of("A", "B", "H")) {
            long count = InstanceLogs.count(logs, marker(i, front, letter));
            long want = reaches.contains(letter) ? 1 : 0;
            if (count != want) {
                wrong.add(where + "marker " + letter + " reached the instance " + count + " times, expected " + want);
            }
        }
        if (c.name().startsWith("dot-segments resolved") && reaches.contains("A")) {
            String url = instanceUrl(logs, marker(i, front, "A"));
            if (BadInputHttpIT.hasDotSegment(url) != front.nginx) {
                wrong.add(where + "the instance received " + url);
            }
        }
    }

    @Test
    void everyDeclaredDifferenceFromNginxIsExplained() {
        for (Case c : FramingCorpus.all()) {
            boolean differs = c.nginxStatus() >= 0 || c.nginxReaches() != null || c.name().startsWith("dot-segments");
            assertEquals(differs, c.why() != null, c.name() + ": a difference from nginx needs a reason, and only one");
        }
    }

    /**
     * A bad chunk that arrives after the head (and after a good chunk), while the body streams to
     * an instance: Corral cannot answer 400 as nginx (which buffers the body) does, but the
     * forward stops, the connection is closed, and the request hidden after the bad chunk (which
     * Undertow's lenient chunk reader alone would take as the next request) never reaches an
     * instance, on either kind of listener.
     */
    @Test
    void aBadChunkWhileTheBodyStreamsEndsTheConnectionAndNothingAfterItIsForwarded() throws Exception {
        List<String> hidden = new ArrayList<>();
        for (Front front : List.of(Front.CORRAL_APP, Front.CORRAL_VHOST)) {
            String marker = "late-bad-chunk-" + front.code;
            hidden.add(marker);
            try (Socket socket = RawHttp.connect(PORTS.get(front), WAIT)) {
                write(socket, "POST /h5/echo?" + marker + "-post HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
                        + "3\r\nabc\r\n");
                Thread.sleep(300); // lets the head be forwarded first; arriving together is refused outright, also a pass
                try {
                    write(socket, "3\r\nabcdef\r\n0\r\n\r\nGET /h5/page/" + marker + " HTTP/1.1\r\nHost: a\r\n\r\n");
                } catch (SocketException e) {
                    // already closed: the outcome the test wants
                }
                RawHttp.Response reply = RawHttp.read(socket.getInputStream());
                assertTrue(reply.answered() ? reply.status() == 400 : !reply.how().equals("silent"), front + ": " + reply);
                assertTrue(closed(socket, socket.getInputStream()), front + ": the connection stayed open");
            }
        }
        String logs = awaitSentinels(false);
        for (String marker : hidden) {
            assertEquals(0, InstanceLogs.count(logs, marker), marker + " reached an instance:\n" + logs);
        }
    }

    /**
     * The chunk check sits in the path of every chunked upload: a 3 MB body of unknown length,
     * sent in many chunks over many reads, reaches the instance whole, on both kinds of listener.
     */
    @Test
    void aLargeChunkedUploadStreamsThroughTheCheckIntact() throws Exception {
        byte[] body = new byte[3 * 1024 * 1024 + 17];
        new Random(11).nextBytes(body);
        String sha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
        HttpClient client = TestHttp.client(Duration.ofSeconds(5));
        for (Front front : List.of(Front.CORRAL_APP, Front.CORRAL_VHOST)) {
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + PORTS.get(front) + "/h5/echo"))
                    .timeout(Duration.ofSeconds(60))
                    .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body)))
                    .build(), HttpResponse.BodyHandlers.ofString());

            assertEquals(200, response.statusCode(), front + ": " + response.body());
            assertTrue(response.body().contains("\"sha256\":\"" + sha256 + "\""), front + ": " + response.body());
        }
    }

    private static void write(Socket socket, String text) throws IOException {
        socket.getOutputStream().write(text.getBytes(StandardCharsets.ISO_8859_1));
        socket.getOutputStream().flush();
    }

    // ---- sending ---------------------------------------------------------------------------

    private static Outcome send(int port, Case c, int i, Front front) throws IOException {
        byte[] bytes = fill(c.request(), i, front).getBytes(StandardCharsets.ISO_8859_1);
        int replies = Math.max(1, front == Front.CORRAL_ADMIN ? 1 : c.reachesFor(front.nginx).length());
        try (Socket socket = RawHttp.connect(port, WAIT)) {
            try {
                socket.getOutputStream().write(bytes);
                socket.getOutputStream().flush();
            } catch (SocketException e) {
                return new Outcome(0, true, "reset while writing");
            }
            InputStream in = socket.getInputStream();
            RawHttp.Response first = RawHttp.read(in);
            for (int n = 1; n < replies && first.answered(); n++) {
                RawHttp.read(in);
            }
            if (!first.answered()) {
                return new Outcome(0, !first.how().equals("silent"), first.how());
            }
            // Only a refusal by Corral must close; nginx keeps some 400s open, and waiting costs time.
            boolean mustClose = !front.nginx && (first.status() >= 400 || c.refused());
            return new Outcome(first.status(), mustClose && closed(socket, in), "");
        }
    }

    /** Whether the server closes the connection (end of stream or reset) within {@link #CLOSE_WAIT}. */
    private static boolean closed(Socket socket, InputStream in) throws IOException {
        socket.setSoTimeout((int) CLOSE_WAIT.toMillis());
        try {
            while (in.read() >= 0) {
                // a body RawClient did not read (no Content-Length): skip it
            }
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (SocketException e) {
            return true;
        }
    }

    // ---- what the instances received -------------------------------------------------------

    /**
     * Sends one last request per instance through each front end and waits until each instance
     * logged it: every request sent before it has then been logged too. Returns those instances'
     * logs.
     */
    private static String awaitSentinels(boolean ofNginx) throws Exception {
        List<String> sentinels = new ArrayList<>();
        int round = SENTINEL_ROUNDS.incrementAndGet();
        for (Front front : Front.values()) {
            if (front.nginx == ofNginx && front != Front.CORRAL_ADMIN) {
                for (int n = 0; n < 4; n++) {
                    String sentinel = "sentinel-" + round + "-" + front.code + "-" + n;
                    sentinels.add(sentinel);
                    RawHttp.exchange(PORTS.get(front), ("GET /h5/page/" + sentinel + " HTTP/1.1\r\nHost: a\r\n"
                            + "Connection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1), WAIT);
                }
            }
        }
        Supplier<String> logs = () -> ofNginx ? nginxLogs() : corralLogs();
        AtomicReference<String> text = new AtomicReference<>();
        Awaitility.await("every sentinel logged").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .untilAsserted(() -> {
                    text.set(logs.get());
                    for (String s : sentinels) {
                        assertTrue(text.get().contains(s), s + " never reached an instance; logs:\n" + text.get());
                    }
                });
        return text.get();
    }

    private static String corralLogs() {
        try {
            return InstanceLogs.of(corral);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String nginxLogs() {
        StringBuilder all = new StringBuilder();
        NGINX_INSTANCES.forEach(instance -> all.append(instance.stdout()));
        return all.toString();
    }

    /** The URL field of the instance's log line for {@code marker} ("... METHOD URL STATUS rid=..."). */
    private static String instanceUrl(String logs, String marker) {
        return logs.lines().filter(l -> l.contains(marker)).findFirst()
                .map(l -> l.split(" ")[4]).orElse("(not logged)");
    }

    // ---- markers ---------------------------------------------------------------------------

    private static String key(int i, Front front) {
        return i + "/" + front;
    }

    static String marker(int i, Front front, String letter) {
        return String.format("fc%03d%s%s", i, front.code, letter);
    }

    private static String fill(String request, int i, Front front) {
        return request.replace("{A}", marker(i, front, "A")).replace("{B}", marker(i, front, "B"))
                .replace("{H}", marker(i, front, "H"));
    }
}
