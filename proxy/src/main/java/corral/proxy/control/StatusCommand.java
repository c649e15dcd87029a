package corral.proxy.control;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import corral.proxy.admin.AdminJson;
import java.io.IOException;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code bin/control status}: the apps and their instances as a table (as {@code pm2 ls}) or as JSON. */
@Command(name = "status", aliases = {"ls", "list"}, customSynopsis = "status [app...] [--json]",
        description = "apps and instances, pool CPU sets, cgroup limits, bulkheads, health")
final class StatusCommand extends Subcommand {

    @Parameters(arity = "0..*", paramLabel = "<app>", description = "only these apps (default all)")
    List<String> apps = List.of();

    @Option(names = "--json", description = "the daemon's status as JSON (as pm2 jlist)")
    boolean json;

    @Override
    int run() throws Exception {
        return print(context(), apps, json);
    }

    static int print(ControlContext c, List<String> apps, boolean json) throws IOException {
        JsonNode status = only(c.status(), apps);
        if (json) {
            c.out.println(AdminJson.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(status));
        } else {
            StatusTable.print(status, c.out);
        }
        return ControlMain.OK;
    }

    /** The status tree with only the named apps ({@code all} or none: every app); an unknown name fails. */
    static JsonNode only(JsonNode status, List<String> names) throws IOException {
        if (names.isEmpty() || names.contains(ControlContext.ALL)) {
            return status;
        }
        List<String> running = ControlContext.running(status);
        for (String name : names) {
            if (!running.contains(name)) {
                throw new IOException("no app named '" + name + "' runs (apps: " + String.join(", ", running) + ")");
            }
        }
        ObjectNode copy = status.deepCopy();
        ArrayNode kept = copy.putArray("apps");
        status.path("apps").forEach(a -> {
            if (names.contains(a.path("name").asText())) {
                kept.add(a);
            }
        });
        return copy;
    }
}
