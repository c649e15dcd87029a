package corral.proxy.control;

import com.fasterxml.jackson.databind.JsonNode;
import corral.proxy.admin.AdminJson;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * {@code bin/control monit}: a live view of the pools in the terminal, like {@code pm2 monit} or
 * {@code top}. Polls the daemon's status once a second, redraws in place (the terminal's
 * alternate screen, so the shell's screen comes back after), and makes rates from the totals it
 * gets: requests per second per instance, CPU per instance, errors per second per pool.
 * {@code q} quits (so does Ctrl-C); the terminal's modes are restored either way.
 */
public final class Monitor {

    private static final long REFRESH_MS = 1000;
    private static final String HOME = "\033[H";
    private static final String CLEAR_LINE = "\033[K";
    private static final String CLEAR_BELOW = "\033[J";
    private static final String ENTER = "\033[?1049h\033[?25l";
    private static final String LEAVE = "\033[?25h\033[?1049l";

    private final AdminClient admin;
    private final PrintStream out;
    private final CountDownLatch quit = new CountDownLatch(1);
    private Frame previous;

    private Monitor(AdminClient admin, PrintStream out) {
        this.admin = admin;
        this.out = out;
    }

    /** Runs until {@code q}; 0 then, 1 when there is no terminal to draw on. */
    static int run(AdminClient admin, PrintStream out, PrintStream err) throws IOException, InterruptedException {
        if (System.console() == null) {
            err.println("bin/control monit: needs a terminal (for scripts: bin/control status --json)");
            return ControlMain.FAILED;
        }
        Terminal terminal = Terminal.keysAtOnce();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            out.print(LEAVE);
            out.flush();
            terminal.restore();
        }, "monit-restore"));
        Monitor monitor = new Monitor(admin, out);
        monitor.readKeys(System.in);
        out.print(ENTER);
        monitor.loop(terminal);
        return ControlMain.OK;
    }

    private void readKeys(InputStream in) {
        Thread keys = new Thread(() -> {
            try {
                int c;
                while ((c = in.read()) >= 0) {
                    if (c == 'q' || c == 'Q') {
                        break;
                    }
                }
            } catch (IOException e) {
                // the terminal went away: quit as well
            }
            quit.countDown();
        }, "monit-keys");
        keys.setDaemon(true);
        keys.start();
    }

    private void loop(Terminal terminal) throws InterruptedException {
        do {
            List<String> lines;
            try {
                lines = draw(status());
            } catch (IOException e) {
                lines = List.of("Corral monit: " + e.getMessage(), "", "retrying every second; q quits");
            }
            StringBuilder screen = new StringBuilder(HOME);
            int width = terminal.columns();
            for (String line : lines) {
                screen.append(line.length() > width ? line.substring(0, width) : line).append(CLEAR_LINE).append("\r\n");
            }
            out.print(screen.append(CLEAR_BELOW));
            out.flush();
        } while (!quit.await(REFRESH_MS, TimeUnit.MILLISECONDS));
    }

    private JsonNode status() throws IOException {
        HttpResponse<String> r = admin.get("status");
        if (r.statusCode() != 200) {
            throw new IOException(AdminClient.errorText(r.body()));
        }
        return AdminJson.MAPPER.readTree(r.body());
    }

    /** The screen for one status answer, with rates against the previous one. */
    List<String> draw(JsonNode root) {
        Frame now = new Frame(System.nanoTime(), root);
        double seconds = previous == null ? 0 : (now.nanos - previous.nanos) / 1e9;
        List<String> lines = new ArrayList<>();
        lines.add("Corral monit  " + (root.path("online").asBoolean() ? "online" : "OFFLINE") + "  "
                + LocalTime.now().format(DateTimeFormatter.ofPattern("HH:mm:ss")) + "  (q quits)");
        for (JsonNode app : root.path("apps")) {
            lines.add("");
            lines.addAll(pool(app, seconds));
        }
        JsonNode reloads = root.path("reloads");
        if (reloads.size() > 0) {
            JsonNode last = reloads.get(0);
            lines.add("");
            lines.add("last reload: " + last.path("app").asText() + " " + (last.path("ok").asBoolean() ? "ok" : "FAILED")
                    + " at " + last.path("at").asText() + " (" + last.path("ms").asLong() + " ms): "
                    + last.path("outcome").asText().lines().findFirst().orElse(""));
        }
        previous = now;
        return lines;
    }

    private List<String> pool(JsonNode app, double seconds) {
        String name = app.path("name").asText();
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"#", "pid", "port", "state", "uptime", "restarts", "mem", "cpu", "inflight", "req/s"});
        double poolRate = 0;
        for (JsonNode i : app.path("instances")) {
            long pid = i.path("pid").asLong();
            JsonNode old = previous == null ? null : previous.instance(name, pid);
            Double rate = old == null || seconds <= 0 ? null
                    : Math.max(0, (i.path("requests").asLong() - old.path("requests").asLong()) / seconds);
            Double cpu = old == null || seconds <= 0 || !i.has("cpuSeconds") ? null
                    : Math.max(0, 100 * (i.path("cpuSeconds").asDouble() - old.path("cpuSeconds").asDouble()) / seconds);
            poolRate += rate == null ? 0 : rate;
            rows.add(new String[] {
                i.path("index").asText(),
                pid == 0 ? "-" : Long.toString(pid),
                i.path("port").asInt() == 0 ? "-" : i.path("port").asText(),
                i.path("state").asText(),
                StatusTable.duration(i.path("uptimeMs").asLong()),
                i.path("restarts").asText(),
                pid == 0 ? "-" : (i.path("rss").asLong() >> 20) + " MB",
                cpu == null ? "-" : String.format("%.1f%%", cpu),
                i.path("inflight").asText("0"),
                rate == null ? "-" : String.format("%.1f", rate),
            });
        }
        JsonNode r = app.path("resources");
        List<String> lines = new ArrayList<>();
        lines.add(String.format("%s  %d/%d ready  %.1f req/s  CPU %.1f%%  memory %d MB  errors %s",
                name, app.path("ready").asInt(), app.path("configured").asInt(), poolRate,
                r.path("cpuPercent").asDouble(), r.path("memory").asLong() >> 20, errors(name, app.path("errors"))));
        lines.addAll(StatusTable.columns(rows, "  "));
        return lines;
    }

    /** {@code 3 (reset 2, timeout 1), +1 since the last refresh}, or {@code none}. */
    private String errors(String app, JsonNode errors) {
        long total = 0;
        long fresh = 0;
        List<String> kinds = new ArrayList<>();
        JsonNode before = previous == null ? null : previous.errors.get(app);
        for (var e : (Iterable<Map.Entry<String, JsonNode>>) errors::fields) {
            long n = e.getValue().asLong();
            total += n;
            fresh += before == null ? 0 : n - before.path(e.getKey()).asLong();
            if (n > 0) {
                kinds.add(e.getKey() + " " + n);
            }
        }
        return total == 0 ? "none" : total + " (" + String.join(", ", kinds) + ")" + (fresh > 0 ? ", +" + fresh + " now" : "");
    }

    /** One status answer and when it came, indexed for the next frame's rates. */
    private static final class Frame {
        final long nanos;
        final Map<String, JsonNode> instances = new HashMap<>();
        final Map<String, JsonNode> errors = new HashMap<>();

        Frame(long nanos, JsonNode root) {
            this.nanos = nanos;
            for (JsonNode app : root.path("apps")) {
                errors.put(app.path("name").asText(), app.path("errors"));
                for (JsonNode i : app.path("instances")) {
                    instances.put(app.path("name").asText() + "/" + i.path("pid").asLong(), i);
                }
            }
        }

        /** The same process in this frame (a replaced instance starts its rates afresh). */
        JsonNode instance(String app, long pid) {
            return pid == 0 ? null : instances.get(app + "/" + pid);
        }
    }

    /** The controlling terminal's modes, through {@code stty} (Java has no API for them). */
    private record Terminal(String saved) {

        /** Keys arrive one by one, unechoed; Ctrl-C still interrupts. */
        static Terminal keysAtOnce() throws IOException, InterruptedException {
            Terminal t = new Terminal(stty("-g").trim());
            stty("-icanon -echo min 1");
            return t;
        }

        void restore() {
            try {
                stty(saved);
            } catch (IOException | InterruptedException e) {
                // nothing more to do: the shell's `reset` repairs a terminal left raw
            }
        }

        int columns() {
            try {
                String[] size = stty("size").trim().split("\\s+");
                return Math.max(20, Integer.parseInt(size[1]));
            } catch (IOException | InterruptedException | RuntimeException e) {
                return 120;
            }
        }

        private static String stty(String args) throws IOException, InterruptedException {
            Process p = new ProcessBuilder("sh", "-c", "stty " + args + " < /dev/tty")
                    .redirectErrorStream(true).start();
            String said = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (p.waitFor() != 0) {
                throw new IOException("stty " + args + ": " + said.trim());
            }
            return said;
        }
    }
}
