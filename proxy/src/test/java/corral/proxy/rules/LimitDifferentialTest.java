package corral.proxy.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;

import corral.fixtures.FreePorts;
import corral.proxy.limit.LimitCounts;
import corral.proxy.limit.LimitCounts.Result;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * limit_req and limit_conn against real nginx 1.22: the same vhost file, the same requests, the
 * same statuses. Rates are per minute where requests are sent one after the other, so that no
 * drain happens between them however loaded the machine is; the delayed case uses 1r/s and
 * four requests sent at once. Each case has its own key ($http_x_key), so no case sees
 * another's state.
 */
class LimitDifferentialTest {

    @RegisterExtension
    static final NginxBeside started = new NginxBeside();

    @TempDir
    static Path dir;

    private static HoldingUpstream upstream;
    private static NginxOracle nginx;
    private static CorralListeners corral;
    private static int[] nginxPorts;
    private static int[] corralPorts;
    private static final ExecutorService clients = Executors.newCachedThreadPool();

    @BeforeAll
    static void start() throws Exception {
        upstream = started.add(new HoldingUpstream());
        int[] ports = FreePorts.pick(4);
        nginxPorts = new int[] {ports[0], ports[1]};
        corralPorts = new int[] {ports[2], ports[3]};
        Path nginxDir = Files.createDirectories(dir.resolve("nginx"));
        Path corralDir = Files.createDirectories(dir.resolve("corral"));
        Files.writeString(nginxDir.resolve("limits.conf"), vhost(nginxPorts));
        Files.writeString(corralDir.resolve("limits.conf"), vhost(corralPorts));
        VhostConfig config = VhostLoader.load(corralDir, Set.of("lim"), Map.of(upstream.port(), "lim"));
        corral = started.add(new CorralListeners(config, Map.of("lim", upstream.port())));
        nginx = started.add(NginxOracle.start(nginxDir, Map.of("lim", upstream.port()),
                List.of(nginxPorts[0], nginxPorts[1])));
    }

    @AfterAll
    static void stop() {
        clients.shutdownNow();
    }

    private static String vhost(int[] ports) {
        return """
                limit_req_zone $http_x_key zone=hdr:1m rate=1r/m;
                limit_req_zone $binary_remote_addr zone=ip:1m rate=1r/m;
                limit_req_zone $http_x_key zone=wide:1m rate=1r/m;
                limit_req_zone $http_x_key zone=narrow:64k rate=1r/m;
                limit_req_zone $http_x_key zone=srv:1m rate=1r/m;
                limit_req_zone $http_x_key zone=fast:1m rate=1r/s;
                limit_conn_zone $http_x_key zone=conns:1m;
                server {
                    listen PORT0;
                    location /nodelay/ { limit_req zone=hdr burst=3 nodelay; proxy_pass http://lim/; }
                    location /status/ { limit_req zone=hdr burst=1 nodelay; limit_req_status 429; proxy_pass http://lim/; }
                    location /ip/ { limit_req zone=ip burst=2 nodelay; proxy_pass http://lim/; }
                    location /multi/ { limit_req zone=wide burst=5 nodelay; limit_req zone=narrow burst=1 nodelay; proxy_pass http://lim/; }
                    location /wide/ { limit_req zone=wide burst=5 nodelay; proxy_pass http://lim/; }
                    location /delay/ { limit_req zone=fast burst=2; proxy_pass http://lim/; }
                    location /slow/ { limit_req zone=hdr burst=2; proxy_pass http://lim/; }
                    location /dry/ { limit_req zone=hdr; limit_req_dry_run on; limit_req_log_level warn; proxy_pass http://lim/; }
                    location /conn/ { limit_conn conns 2; proxy_pass http://lim/; }
                    location /connstatus/ { limit_conn conns 1; limit_conn_status 429; limit_conn_log_level info; proxy_pass http://lim/; }
                }
                server {
                    listen PORT1;
                    limit_req zone=srv;
                    limit_req_status 429;
                    location /inherit/ { proxy_pass http://lim/; }
                    location /own/ { limit_req zone=hdr burst=5 nodelay; proxy_pass http://lim/; }
                }
                """.replace("PORT0", Integer.toString(ports[0])).replace("PORT1", Integer.toString(ports[1]));
    }

    /** The statuses of requests sent one after the other, through nginx and through Corral. */
    private static List<Integer> sameInSequence(int server, String... requests) throws IOException {
        List<Integer> nginxSaw = sequence(nginxPorts[server], requests);
        assertEquals(nginxSaw, sequence(corralPorts[server], requests),
                "nginx's statuses, then Corral's, for " + String.join(", ", requests));
        return nginxSaw;
    }

    /** Each request is "path key" (no key: no X-Key header). */
    private static List<Integer> sequence(int port, String... requests) throws IOException {
        List<Integer> statuses = new ArrayList<>();
        for (String r : requests) {
            try (Socket s = send(port, r)) {
                statuses.add(status(s));
            }
        }
        return statuses;
    }

    private static Socket send(int port, String request) throws IOException {
        String[] pathKey = request.split(" ");
        Socket s = new Socket(InetAddress.getLoopbackAddress(), port);
        s.setSoTimeout(90_000);
        String head = "GET " + pathKey[0] + " HTTP/1.1\r\nHost: lim.test\r\nConnection: close\r\n"
                + (pathKey.length > 1 ? "X-Key: " + pathKey[1] + "\r\n" : "") + "\r\n";
        s.getOutputStream().write(head.getBytes(StandardCharsets.ISO_8859_1));
        s.getOutputStream().flush();
        return s;
    }

    private static int status(Socket s) throws IOException {
        InputStream in = s.getInputStream();
        String all = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        return all.isEmpty() ? -1 : Integer.parseInt(all.split(" ", 3)[1]);
    }

    private static String[] times(int n, String request) {
        String[] out = new String[n];
        java.util.Arrays.fill(out, request);
        return out;
    }

    @Test
    void aBurstWithNodelayPassesBurstPlusOneAndRefusesTheRest() throws IOException {
        assertEquals(List.of(200, 200, 200, 200, 503, 503, 503), sameInSequence(0, times(7, "/nodelay/x a")));
    }

    @Test
    void limitReqStatusAnswersTheRefusalsAndEachKeyHasItsOwnBucket() throws IOException {
        List<String> requests = new ArrayList<>(List.of(times(4, "/status/x b1")));
        requests.addAll(List.of(times(3, "/status/x b2")));
        requests.addAll(List.of(times(4, "/status/x")));
        sameInSequence(0, requests.toArray(String[]::new));
    }

    @Test
    void binaryRemoteAddrLimitsTheClientAddress() throws IOException {
        sameInSequence(0, "/ip/x k1", "/ip/x k2", "/ip/x k3", "/ip/x k4", "/ip/x");
    }

    @Test
    void severalLimitsAtOneLevelAndARefusalDoesNotChargeTheOthers() throws IOException {
        sameInSequence(0, "/multi/x m", "/multi/x m", "/multi/x m", "/multi/x m", "/wide/x m",
                "/wide/x m", "/wide/x m", "/wide/x m", "/wide/x m");
    }

    @Test
    void aLevelWithItsOwnLimitReqReplacesTheServersAndInheritsItsStatus() throws IOException {
        sameInSequence(1, "/inherit/x i", "/inherit/x i", "/own/x i", "/own/x i", "/own/x i",
                "/inherit/x", "/inherit/x");
    }

    @Test
    void dryRunLetsEverythingThrough() throws IOException {
        long wouldHave = corral.limitCounts().count("hdr", Result.REJECTED_DRY_RUN);
        assertEquals(List.of(200, 200, 200), sameInSequence(0, times(3, "/dry/x d")));
        assertEquals(2, corral.limitCounts().count("hdr", Result.REJECTED_DRY_RUN) - wouldHave);
    }

    @Test
    void requestsWithinBurstAreDelayedAndTheOneOverItIsRefused() throws Exception {
        List<Integer> nginxSaw = atOnce(nginxPorts[0], 4, "/delay/x z");
        assertEquals(List.of(200, 200, 200, 503), nginxSaw);
        LimitCounts counts = corral.limitCounts();
        long delayed = counts.count("fast", Result.DELAYED);
        long rejected = counts.count("fast", Result.REJECTED);
        assertEquals(nginxSaw, atOnce(corralPorts[0], 4, "/delay/x z"));
        assertEquals(2, counts.count("fast", Result.DELAYED) - delayed);
        assertEquals(1, counts.count("fast", Result.REJECTED) - rejected);
        assertEquals(0, counts.waiting());
    }

    @Test
    void aClientThatLeavesWhileDelayedIsLetGoAndNotForwarded() throws Exception {
        Path nginxLog = dir.resolve("nginx").resolve("access.log");
        assertEquals(List.of(200), sequence(nginxPorts[0], "/slow/x bye"));
        int received = upstream.received();
        send(nginxPorts[0], "/slow/x bye").close();
        // nginx finalizes the waiting request as soon as it reads the close: 499 in its log
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() ->
                Files.readString(nginxLog).contains("\"GET /slow/x HTTP/1.1\" 499"));
        assertEquals(received, upstream.received());
        assertEquals(List.of(200), sequence(corralPorts[0], "/slow/x bye"));
        LimitCounts counts = corral.limitCounts();
        long delayed = counts.count("hdr", Result.DELAYED);
        send(corralPorts[0], "/slow/x bye").close();
        // the delay is a minute: waiting ends before only when the close was noticed
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() ->
                counts.count("hdr", Result.DELAYED) == delayed + 1 && counts.waiting() == 0);
        assertEquals(received + 1, upstream.received());
    }

    @Test
    void aDelayedRequestLeavesItsKeepAliveConnectionServingThePipelinedNext() throws Exception {
        assertEquals(List.of(200, 200, 200), keepAlive(nginxPorts[0], "ka"));
        assertEquals(List.of(200, 200, 200), keepAlive(corralPorts[0], "ka"));
    }

    /** One request on a keep-alive connection, then two pipelined: the first two delayed. */
    private static List<Integer> keepAlive(int port, String key) throws IOException {
        String request = "GET /delay/x HTTP/1.1\r\nHost: lim.test\r\nX-Key: " + key + "\r\n\r\n";
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout(60_000);
            List<Integer> statuses = new ArrayList<>();
            s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            statuses.add(response(s.getInputStream()));
            s.getOutputStream().write((request + request).getBytes(StandardCharsets.ISO_8859_1));
            statuses.add(response(s.getInputStream()));
            statuses.add(response(s.getInputStream()));
            return statuses;
        }
    }

    /** Reads one response with a Content-Length; its status. */
    private static int response(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("closed after: " + head);
            }
            head.append((char) b);
        }
        int length = 0;
        for (String line : head.toString().split("\r\n")) {
            if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
                length = Integer.parseInt(line.substring(15).trim());
            }
        }
        in.readNBytes(length);
        return Integer.parseInt(head.toString().split(" ", 3)[1]);
    }

    /** Sends {@code n} requests at once and gives their statuses, sorted. */
    private static List<Integer> atOnce(int port, int n, String request) throws Exception {
        List<Socket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < n; i++) {
                sockets.add(send(port, request));
            }
            List<Integer> statuses = new ArrayList<>();
            for (Socket s : sockets) {
                statuses.add(status(s));
            }
            return statuses.stream().sorted().toList();
        } finally {
            for (Socket s : sockets) {
                s.close();
            }
        }
    }

    @Test
    void limitConnRefusesRequestsOverTheKeysRequestsInProgress() throws Exception {
        List<Integer> nginxSaw = held(nginxPorts[0], 4, 2, "/conn/hold c");
        assertEquals(List.of(200, 200, 503, 503), nginxSaw);
        long rejected = corral.limitCounts().count("conns", Result.REJECTED);
        assertEquals(nginxSaw, held(corralPorts[0], 4, 2, "/conn/hold c"));
        assertEquals(2, corral.limitCounts().count("conns", Result.REJECTED) - rejected);
        assertEquals(held(nginxPorts[0], 3, 1, "/connstatus/hold s"),
                held(corralPorts[0], 3, 1, "/connstatus/hold s"));
        // places are given back when the requests end
        sameInSequence(0, "/conn/x c", "/conn/x c", "/connstatus/x s", "/conn/x");
    }

    @Test
    void aClientThatLeavesDuringItsRequestGivesItsPlaceBack() throws Exception {
        for (int port : new int[] {nginxPorts[0], corralPorts[0]}) {
            Socket leaving = send(port, "/connstatus/hold gone");
            Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> upstream.holding() == 1);
            leaving.close();
            upstream.release();
            Awaitility.await().atMost(Duration.ofSeconds(60))
                    .until(() -> sequence(port, "/connstatus/x gone").equals(List.of(200)));
        }
    }

    /**
     * Sends {@code n} requests that the upstream holds, waits until {@code places} are held and
     * the others answered, then lets the upstream answer; the statuses, sorted.
     */
    private static List<Integer> held(int port, int n, int places, String request) throws Exception {
        List<Socket> sockets = new ArrayList<>();
        try {
            List<Future<Integer>> answers = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                Socket s = send(port, request);
                sockets.add(s);
                answers.add(clients.submit(() -> status(s)));
            }
            Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> upstream.holding() == places
                    && answers.stream().filter(Future::isDone).count() == n - places);
            upstream.release();
            List<Integer> statuses = new ArrayList<>();
            for (Future<Integer> f : answers) {
                statuses.add(f.get(60, TimeUnit.SECONDS));
            }
            return statuses.stream().sorted().toList();
        } finally {
            for (Socket s : sockets) {
                s.close();
            }
        }
    }
}
