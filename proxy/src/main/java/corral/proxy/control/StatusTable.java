package corral.proxy.control;

import com.fasterxml.jackson.databind.JsonNode;
import corral.proxy.admin.AdminJson;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/** Renders {@code status --json} as the table PM2 users know from {@code pm2 ls}. */
final class StatusTable {

    private static final String[] HEADER = {"app", "#", "pid", "port", "state", "uptime", "restarts", "mem", "cpu",
        "inflight", "requests"};

    private StatusTable() {
    }

    static void print(String json, PrintStream out) throws IOException {
        JsonNode root = AdminJson.MAPPER.readTree(json);
        List<String[]> rows = new ArrayList<>();
        rows.add(HEADER);
        for (JsonNode app : root.path("apps")) {
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
        }
        columns(rows, "").forEach(out::println);
        for (JsonNode app : root.path("apps")) {
            out.println(app.path("name").asText() + ": " + app.path("ready").asInt() + "/" + app.path("configured").asInt()
                    + " ready" + (app.path("publicPort").asInt() > 0 ? ", public port " + app.path("publicPort").asInt() : "")
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
        out.println("health: " + (root.path("online").asBoolean(true) ? "online" : "OFFLINE (bin/control online)"));
        if (root.hasNonNull("status_url")) {
            out.println("status page: " + root.path("status_url").asText() + " (Prometheus: " + root.path("status_url").asText() + "metrics)");
        } else if (root.has("status_error")) {
            out.println("status page: none: " + root.path("status_error").asText());
        }
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
