package corral.proxy.control;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/** Renders {@code status --json} as the table PM2 users know from {@code pm2 ls}, and one app as {@code pm2 describe}. */
final class StatusTable {

    private static final String[] HEADER = {"app", "#", "pid", "port", "state", "uptime", "restarts", "mem", "cpu",
        "inflight", "requests"};

    private StatusTable() {
    }

    static void print(JsonNode root, PrintStream out) {
        List<String[]> rows = new ArrayList<>();
        rows.add(HEADER);
        root.path("apps").forEach(app -> rows.addAll(instanceRows(app)));
        printTable(rows, out);
        for (JsonNode app : root.path("apps")) {
            out.println(app.path("name").asText() + ": " + app.path("ready").asInt() + "/" + app.path("configured").asInt()
                    + " ready" + (app.path("publicPort").asInt() > 0 ? ", public port " + app.path("publicPort").asInt() : "")
                    + (app.path("health").asText().equals("offline") ? ", health offline (bin/control online "
                            + app.path("name").asText() + ")" : "")
                    + (app.hasNonNull("lastError") ? ", last error: " + app.path("lastError").asText() : ""));
            if (app.has("resources")) {
                out.println("  resources: " + resources(app.path("resources")));
            }
            if (app.has("proxy")) {
                out.println("  proxy: " + proxy(app.path("proxy")));
            }
        }
        if (root.has("cgroups")) {
            out.println(root.path("cgroups").path("summary").asText());
        }
        List<String> offlineApps = new ArrayList<>();
        root.path("offlineApps").forEach(a -> offlineApps.add(a.asText()));
        out.println("health: " + (root.path("online").asBoolean(true) ? "online" : "OFFLINE (bin/control online)")
                + (offlineApps.isEmpty() ? "" : "; offline apps: " + String.join(", ", offlineApps)));
        if (root.hasNonNull("status_url")) {
            out.println("status page: " + root.path("status_url").asText() + " (Prometheus: " + root.path("status_url").asText() + "metrics)");
        } else if (root.has("status_error")) {
            out.println("status page: none: " + root.path("status_error").asText());
        }
    }

    /** One app in detail, as {@code pm2 describe}: a field per line, then its instances. */
    static void describe(JsonNode app, PrintStream out) {
        String name = app.path("name").asText();
        out.println("Describing " + name);
        field(out, "ready", app.path("ready").asInt() + "/" + app.path("configured").asInt() + " instances");
        field(out, "health", app.path("health").asText("-"));
        field(out, "public port", app.path("publicPort").asInt() > 0 ? app.path("publicPort").asText() : "none");
        field(out, "in pm2.json", app.path("inFile").asBoolean(true) ? "yes" : "no (deleted from the file, still running)");
        long restarts = 0;
        for (JsonNode i : app.path("instances")) {
            restarts += i.path("restarts").asLong();
        }
        field(out, "restarts", Long.toString(restarts));
        field(out, "out log", String.join(", ", texts(app.path("logs").path("out"))));
        field(out, "error log", String.join(", ", texts(app.path("logs").path("error"))));
        if (app.has("resources")) {
            field(out, "resources", resources(app.path("resources")));
        }
        if (app.has("proxy")) {
            field(out, "proxy", proxy(app.path("proxy")));
        }
        List<String[]> rows = new ArrayList<>();
        rows.add(HEADER);
        rows.addAll(instanceRows(app));
        printTable(rows, out);
    }

    private static void field(PrintStream out, String name, String value) {
        out.println(String.format("  %-12s %s", name, value));
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    private static List<String[]> instanceRows(JsonNode app) {
        List<String[]> rows = new ArrayList<>();
        for (JsonNode i : app.path("instances")) {
            rows.add(new String[] {
                    app.path("name").asText(),
                    i.path("index").asText(),
                    i.path("pid").asLong() == 0 ? "-" : i.path("pid").asText(),
                    i.path("port").asInt() == 0 ? "-" : i.path("port").asText(),
                    i.path("state").asText().toLowerCase(),
                    duration(i.path("uptimeMs").asLong()),
                    i.path("restarts").asText(),
                    (i.path("rss").asLong() >> 20) + " MB",
                    i.path("cpu").isMissingNode() ? "-" : String.format("%.1f%%", i.path("cpu").asDouble()),
                    i.path("inflight").asText("0"),
                    i.path("requests").asText("0"),
            });
        }
        return rows;
    }

    private static void printTable(List<String[]> rows, PrintStream out) {
        columns(rows, "").forEach(out::println);
    }

    /** The rows as lines of left-aligned columns two blanks apart, each line after {@code indent}. */
    static List<String> columns(List<String[]> rows, String indent) {
        int[] width = new int[rows.get(0).length];
        for (String[] r : rows) {
            for (int c = 0; c < r.length; c++) {
                width[c] = Math.max(width[c], r[c].length());
            }
        }
        List<String> lines = new ArrayList<>();
        for (String[] r : rows) {
            StringBuilder line = new StringBuilder(indent);
            for (int c = 0; c < r.length; c++) {
                line.append(String.format("%-" + (width[c] + 2) + "s", r[c]));
            }
            lines.add(line.toString().stripTrailing());
        }
        return lines;
    }

    /** {@code cpus 0-13, cpu_quota 800%, cpu_weight 1400, memory_max 6144 MB; using CPU 312.5%, memory 905 MB (cgroup)}. */
    static String resources(JsonNode r) {
        String cpus = r.path("cpus").asText("");
        int quota = r.path("cpuQuotaPercent").asInt();
        long memoryMax = r.path("memoryMax").asLong();
        return "cpus " + (cpus.isEmpty() ? "all" : cpus)
                + ", cpu_quota " + (quota > 0 ? quota + "%" : "none")
                + ", cpu_weight " + r.path("cpuWeight").asInt()
                + ", memory_max " + (memoryMax > 0 ? (memoryMax >> 20) + " MB" : "none")
                + "; using CPU " + String.format("%.1f%%", r.path("cpuPercent").asDouble())
                + ", memory " + (r.path("memory").asLong() >> 20) + " MB"
                + " (measured by " + r.path("measuredBy").asText("processes") + ")";
    }

    /** {@code 3/1000 in flight, 0/100 queued, read timeout 60000 ms; refused 0, queue timeouts 0}. */
    static String proxy(JsonNode p) {
        return p.path("inFlight").asInt() + "/" + p.path("maxInFlight").asInt() + " in flight, "
                + p.path("queued").asInt() + "/" + p.path("maxQueued").asInt() + " queued, read timeout "
                + p.path("readTimeoutMs").asLong() + " ms; refused " + p.path("refused").asLong()
                + ", queue timeouts " + p.path("queueTimeouts").asLong();
    }

    static String duration(long ms) {
        if (ms <= 0) {
            return "-";
        }
        long s = ms / 1000;
        if (s < 60) {
            return s + "s";
        }
        if (s < 3600) {
            return s / 60 + "m";
        }
        if (s < 86400) {
            return s / 3600 + "h";
        }
        return s / 86400 + "d";
    }
}
