package corral.proxy.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import corral.fixtures.CorralHome;
import corral.fixtures.FreePorts;
import corral.fixtures.HeadlessChromium;
import corral.fixtures.SampleApp;
import corral.fixtures.TmuxSession;
import corral.proxy.install.CorralInstall;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The read-only status listener of a real daemon: {@code /metrics} as Prometheus's own
 * {@code promtool} reads it, counts that move by exactly the requests sent (through a reload),
 * the status page in a real headless Chromium, and {@code bin/control monit} in a real terminal.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StatusListenerIT {

    @RegisterExtension
    static final CorralHome HOME = new CorralHome();

    static CorralInstall corral;
    static int statusPort;

    @BeforeAll
    static void start() throws Exception {
        corral = new CorralInstall(HOME, 1, 2);
        statusPort = FreePorts.pick();
        Files.writeString(corral.release.resolve("corral.properties"), "status.listen = 127.0.0.1:" + statusPort + "\n");
        corral.ok("start");
    }

    @AfterAll
    static void kill() throws Exception {
        if (corral != null) {
            corral.ok("kill");
        }
    }

    @Test
    @Order(1)
    void statusNamesThePageAndThePageServesTheSameTree() throws Exception {
        CorralInstall.Result r = corral.ok("status", "--json");
        assertEquals("http://127.0.0.1:" + statusPort + "/", CorralInstall.JSON.readTree(r.out()).path("status_url").asText());
        assertTrue(corral.control("status").out().contains("status page: http://127.0.0.1:" + statusPort + "/"));

        HttpResponse<String> json = CorralInstall.get(statusPort, "/status.json");
        assertEquals(200, json.statusCode());
        assertEquals(3, CorralInstall.JSON.readTree(json.body()).path("apps").findValues("pid").size(), json.body());
        HttpResponse<String> page = CorralInstall.get(statusPort, "/");
        assertEquals(200, page.statusCode());
        assertTrue(page.headers().firstValue("content-type").orElse("").startsWith("text/html"));
        assertFalse(page.body().contains("src=\"http") || page.body().contains("href=\"http"), "no external asset");
    }

    @Test
    @Order(2)
    void metricsPassPromtoolAndComeAsOpenMetricsWhenAsked() throws Exception {
        assertEquals(200, CorralInstall.get(corral.h5Port, "/h5/page/lint").statusCode());
        // The request is counted when its exchange completes, on the IO thread, which may be just
        // after the client has read the answer: wait for the count, not for a time.
        String text = Awaitility.await("the request counted").atMost(Duration.ofSeconds(10))
                .until(() -> scrapeText(null).body(), body -> body.contains("\ncorral_http_requests_total{"));
        Process promtool = new ProcessBuilder("promtool", "check", "metrics").redirectErrorStream(true).start();
        promtool.getOutputStream().write(text.getBytes(StandardCharsets.UTF_8));
        promtool.getOutputStream().close();
        String said = new String(promtool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(promtool.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, promtool.exitValue(), "promtool check metrics:\n" + said);
        for (String name : new String[] {"corral_http_requests_total", "corral_http_request_duration_seconds_bucket",
            "corral_upstream_in_flight", "corral_upstream_failures_total", "corral_bulkhead_rejected_total",
            "corral_instances", "corral_instance_restarts_total", "corral_instance_memory_bytes",
            "corral_instance_cpu_seconds_total", "corral_reloads_total", "corral_config_reloads_total", "corral_up",
            "jvm_memory_used_bytes"}) {
            assertTrue(text.contains("\n" + name + "{") || text.contains("\n" + name + " "), name + " missing:\n" + text);
        }

        grafanaDashboardQueriesParseAndNameOnlyMetricsThatExist(text);

        HttpResponse<String> om = scrapeText("application/openmetrics-text; version=1.0.0; charset=utf-8");
        assertTrue(om.headers().firstValue("content-type").orElse("").startsWith("application/openmetrics-text"));
        assertTrue(om.body().endsWith("# EOF\n"), "OpenMetrics ends with # EOF");

        HttpResponse<String> post = CorralInstall.HTTP.send(HttpRequest.newBuilder(URI.create(base() + "metrics"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(405, post.statusCode(), "read-only");
    }

    @Test
    @Order(3)
    void requestCountsMoveByExactlyTheRequestsSentAcrossAReload() throws Exception {
        String h5Direct = requests(corral.h5Port, "h5", 200);
        String h5Vhost = requests(corral.vhostPort, "h5", 200);
        String answeredByRules = requests(corral.vhostPort, "", 200);
        String latency = "corral_http_request_duration_seconds_count{app=\"h5\",listener=\"" + corral.h5Port + "\"}";
        String reloads = "corral_reloads_total{app=\"h5\",result=\"ok\"}";
        String confReloads = "corral_config_reloads_total{result=\"ok\"}";
        Map<String, Double> before = scrape();

        int n = 25;
        send(corral.h5Port, "/h5/page/count", n);
        send(corral.vhostPort, "/m/count", 15);
        send(corral.vhostPort, "/ngx-ok", 5);
        CorralInstall.Result reload = corral.control("reload", "h5");
        assertEquals(0, reload.exit(), reload.toString());
        send(corral.h5Port, "/h5/page/after-reload", n);
        assertEquals(0, corral.control("reload-conf").exit());

        Map<String, Double> after = scrapeUntil(h5Direct, before.getOrDefault(h5Direct, 0.0) + 2 * n);
        assertEquals(2 * n, delta(before, after, h5Direct), h5Direct);
        assertEquals(2 * n, delta(before, after, latency), latency);
        assertEquals(15, delta(before, after, h5Vhost), h5Vhost);
        assertEquals(5, delta(before, after, answeredByRules), answeredByRules);
        assertEquals(1, delta(before, after, reloads), reloads);
        assertEquals(1, delta(before, after, confReloads), confReloads);
        assertEquals(2.0, (double) after.getOrDefault("corral_instances{app=\"h5\",state=\"ready\"}", -1.0));
    }

    @Test
    @Order(4)
    void statusPageShowsEveryInstanceAndTheNewPidsSoonAfterAReload() throws Exception {
        String shown = "JSON.stringify([...document.querySelectorAll('tr[data-state=ready]')]"
                + ".map(r => r.dataset.app + '/' + r.dataset.pid).sort())";
        try (HeadlessChromium chromium = HeadlessChromium.start(HOME.env())) {
            chromium.open(base());
            Set<String> ready = readyInstances();
            chromium.waitUntil(shown, v -> asSet(v).equals(ready), Duration.ofSeconds(10));
            assertTrue(chromium.evaluate("document.getElementById('health').textContent").asText().startsWith("online"));

            CorralInstall.Result reload = corral.control("reload", "h5");
            assertEquals(0, reload.exit(), reload.toString());
            Set<String> reloaded = readyInstances();
            assertFalse(reloaded.equals(ready), "reload replaced h5's pids");
            chromium.waitUntil(shown, v -> asSet(v).equals(reloaded), Duration.ofSeconds(5));
            chromium.waitFor("document.querySelector('tr[data-reload=h5]') !== null", Duration.ofSeconds(5));
            chromium.screenshot(HOME.path().resolve("status-page.png"));
            assertEquals(java.util.List.of(), chromium.problems(), "console errors, exceptions or failed loads");
        }
    }

    @Test
    @Order(5)
    void monitShowsEveryInstanceWithRatesAndQuitsOnQ() throws Exception {
        Set<Long> pids = new HashSet<>(corral.readyPids("h5"));
        pids.addAll(corral.readyPids("nuomi"));
        String command = SampleApp.repoRoot().resolve("bin/control") + " monit";
        try (TmuxSession tmux = TmuxSession.start(command, HOME.env(), 160, 40)) {
            tmux.waitForScreen(s -> s.contains("Corral monit") && pids.stream().allMatch(p -> s.contains(" " + p + " ")),
                    Duration.ofSeconds(20));
            Pattern h5Rate = Pattern.compile("(?m)^h5 +2/2 ready +([0-9.]+) req/s");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            String screen = tmux.screen();
            while (!busy(h5Rate.matcher(screen)) && System.nanoTime() < deadline) {
                send(corral.h5Port, "/h5/page/monit", 10);
                screen = tmux.screen();
            }
            assertTrue(busy(h5Rate.matcher(screen)), "h5's req/s moved:\n" + screen);
            tmux.sendKeys("q");
            Awaitility.await("monit quits on q").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                    .untilAsserted(() -> assertFalse(tmux.alive(), "monit quits on q"));
        }
    }

    /**
     * Every query of the shipped dashboard is valid PromQL (promtool checks it as a recording rule,
     * the template variables made wildcards) and names only metrics this scrape has.
     */
    private static void grafanaDashboardQueriesParseAndNameOnlyMetricsThatExist(String scrape) throws Exception {
        JsonNode dashboard = CorralInstall.JSON.readTree(SampleApp.repoRoot().resolve("conf/grafana/corral.json").toFile());
        StringBuilder rules = new StringBuilder("groups:\n- name: dashboard\n  rules:\n");
        Pattern metric = Pattern.compile("\\b(?:corral|jvm|process)_[a-z_]+");
        int n = 0;
        for (JsonNode expr : dashboard.findValues("expr")) {
            String promql = expr.asText().replace("$instance", ".*").replace("$app", ".*");
            rules.append("  - record: dashboard:q").append(n++).append("\n    expr: ")
                    .append(CorralInstall.JSON.writeValueAsString(promql)).append('\n');
            Matcher m = metric.matcher(promql);
            while (m.find()) {
                String name = m.group();
                assertTrue(scrape.contains("\n" + name + "{") || scrape.contains("\n" + name + " "),
                        "the dashboard queries " + name + ", which /metrics does not have");
            }
        }
        assertTrue(n >= 10, "the dashboard has its queries");
        java.nio.file.Path file = HOME.path().resolve("dashboard-rules.yml");
        Files.writeString(file, rules);
        Process promtool = new ProcessBuilder("promtool", "check", "rules", file.toString()).redirectErrorStream(true).start();
        String said = new String(promtool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(promtool.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, promtool.exitValue(), "promtool check rules on the dashboard's queries:\n" + said);
    }

    private static boolean busy(Matcher m) {
        return m.find() && Double.parseDouble(m.group(1)) > 0;
    }

    private static Set<String> readyInstances() throws IOException, InterruptedException {
        Set<String> out = new HashSet<>();
        for (String app : new String[] {"nuomi", "h5"}) {
            corral.readyPids(app).forEach(pid -> out.add(app + "/" + pid));
        }
        return out;
    }

    private static Set<String> asSet(JsonNode json) {
        try {
            Set<String> out = new HashSet<>();
            CorralInstall.JSON.readTree(json.asText()).forEach(v -> out.add(v.asText()));
            return out;
        } catch (IOException e) {
            return Set.of();
        }
    }

    private static String base() {
        return "http://127.0.0.1:" + statusPort + "/";
    }

    private static String requests(int listener, String app, int code) {
        return "corral_http_requests_total{app=\"" + app + "\",code=\"" + code + "\",listener=\"" + listener + "\"}";
    }

    private static void send(int port, String path, int count) throws IOException, InterruptedException {
        for (int i = 0; i < count; i++) {
            HttpResponse<String> r = CorralInstall.get(port, path);
            assertEquals(200, r.statusCode(), port + path + ": " + r.body());
        }
    }

    private static double delta(Map<String, Double> before, Map<String, Double> after, String series) {
        return after.getOrDefault(series, 0.0) - before.getOrDefault(series, 0.0);
    }

    private static HttpResponse<String> scrapeText(String accept) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base() + "metrics")).timeout(Duration.ofSeconds(10));
        if (accept != null) {
            request.header("Accept", accept);
        }
        HttpResponse<String> r = CorralInstall.HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        return r;
    }

    /** Every sample of a text scrape, by its series as printed (name and sorted labels). */
    private static Map<String, Double> scrape() throws IOException, InterruptedException {
        Map<String, Double> samples = new HashMap<>();
        for (String line : scrapeText(null).body().split("\n")) {
            int space = line.lastIndexOf(' ');
            if (!line.startsWith("#") && space > 0) {
                samples.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
            }
        }
        return samples;
    }

    /**
     * Scrapes until {@code series} reaches {@code value}: a request is counted when its exchange
     * completes, which may be just after the client has read the response.
     */
    private static Map<String, Double> scrapeUntil(String series, double value) throws IOException, InterruptedException {
        try {
            return Awaitility.await(series + " reaches " + value).atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                    .until(StatusListenerIT::scrape, samples -> samples.getOrDefault(series, 0.0) >= value);
        } catch (ConditionTimeoutException e) {
            return scrape(); // the caller's assertions say what is off
        }
    }
}
