package corral.proxy.chaos;

import corral.fixtures.TestHttp;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The chaos test's traffic: {@code threads} closed loops over a fixed mix of GET, HEAD, slow GET
 * and POST targets on both kinds of listener, 3 in 10 with {@code Connection: close}. Unlike
 * {@code LoadGenerator}, each request carries its id in its URI ({@code c-<n>}), so Corral's
 * access log line of that very request (its instance's pid) can be found, and every outcome is
 * kept with its send and end times.
 */
final class ChaosLoad {

    /** What a request is; decides how its answer is checked. */
    enum Kind { GET, HEAD, SLOW_GET, POST, SLOW_POST }

    /** One kind of request in the mix; {@code path} holds {@code {rid}} where the id goes. */
    record Target(Kind kind, String listener, int port, String path) {
        URI uri(String rid) {
            return URI.create("http://127.0.0.1:" + port + path.replace("{rid}", rid));
        }

        boolean idempotent() {
            return kind != Kind.POST && kind != Kind.SLOW_POST;
        }
    }

    /**
     * One request and what came of it.
     *
     * @param rid       its id, in its URI and its {@code X-Request-Id}
     * @param status    the status received, 0 if none
     * @param workerPid the {@code X-Worker-Pid} received, 0 if none
     * @param error     why it failed, null when it did not
     */
    record Outcome(String rid, Target target, boolean close, Instant sent, Instant done, int status, long workerPid,
                   String error) {
        boolean failed() {
            return error != null;
        }

        @Override
        public String toString() {
            return rid + " " + target.kind() + " " + target.listener() + " " + target.uri(rid).getPath()
                    + (close ? " (Connection: close)" : "") + " sent " + sent + " done " + done
                    + (status != 0 ? " status " + status : "") + (workerPid != 0 ? " pid " + workerPid : "")
                    + (error != null ? ": " + error : "");
        }
    }

    static final String POST_BODY = "chaos-body-".repeat(370); // about 4 KB

    private final List<Target> mix;
    private final int threads;
    private final Duration timeout;
    private final HttpClient client = TestHttp.client(Duration.ofSeconds(5));
    private final AtomicLong next = new AtomicLong();
    private final Queue<Outcome> outcomes = new ConcurrentLinkedQueue<>();
    private final List<Thread> running = new ArrayList<>();
    private volatile boolean stopped;

    ChaosLoad(List<Target> mix, int threads, Duration timeout) {
        this.mix = List.copyOf(mix);
        this.threads = threads;
        this.timeout = timeout;
    }

    void start() {
        for (int i = 0; i < threads; i++) {
            Thread t = new Thread(this::loop, "chaos-load-" + i);
            t.setDaemon(true);
            running.add(t);
            t.start();
        }
    }

    /** No new request after this; returns once those in flight have ended (each within its timeout). */
    void stop() throws InterruptedException {
        stopped = true;
        for (Thread t : running) {
            t.join(timeout.plusSeconds(5).toMillis());
        }
    }

    List<Outcome> outcomes() {
        return List.copyOf(outcomes);
    }

    private void loop() {
        while (!stopped) {
            long n = next.getAndIncrement();
            outcomes.add(exchange(mix.get((int) (n % mix.size())), "c-" + n, n % 10 < 3));
        }
    }

    private Outcome exchange(Target target, String rid, boolean close) {
        HttpRequest.Builder request = HttpRequest.newBuilder(target.uri(rid)).timeout(timeout)
                .header("X-Request-Id", rid);
        if (close) {
            request.header("Connection", "close");
        }
        switch (target.kind()) {
            case HEAD -> request.method("HEAD", HttpRequest.BodyPublishers.noBody());
            case POST, SLOW_POST -> request.POST(HttpRequest.BodyPublishers.ofString(POST_BODY));
            default -> request.GET();
        }
        Instant sent = Instant.now();
        try {
            HttpResponse<String> r = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
            long pid = r.headers().firstValue("X-Worker-Pid").map(Long::parseLong).orElse(0L);
            return new Outcome(rid, target, close, sent, Instant.now(), r.statusCode(), pid, check(target, r, pid));
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            return new Outcome(rid, target, close, sent, Instant.now(), 0, 0, e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    /** Null when the answer is right, else what is wrong with it. */
    private static String check(Target target, HttpResponse<String> r, long pid) {
        if (r.statusCode() != 200) {
            return "status " + r.statusCode() + ": " + r.body().strip();
        }
        if (pid == 0) {
            return "no X-Worker-Pid: not answered by an instance";
        }
        if (target.kind() == Kind.POST && !r.body().contains("\"bytes\":" + POST_BODY.length())) {
            return "the instance did not get the whole body: " + r.body();
        }
        return null;
    }
}
