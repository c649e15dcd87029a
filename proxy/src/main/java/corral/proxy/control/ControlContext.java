package corral.proxy.control;

import com.fasterxml.jackson.databind.JsonNode;
import corral.proxy.admin.AdminJson;
import corral.workers.home.HomeLayout;
import java.io.IOException;
import java.io.PrintStream;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What every command of one {@code bin/control} run shares: where to print, the Corral directory
 * and home, the admin client, and the few ways commands talk to the daemon (a command, the status
 * tree, the apps that {@code all} stands for).
 */
final class ControlContext {

    /** The word that stands for every app, as in PM2. */
    static final String ALL = "all";

    final PrintStream out;
    final PrintStream err;
    final Path root;
    final HomeLayout home;
    final AdminClient admin;

    ControlContext(PrintStream out, PrintStream err, Path root, HomeLayout home) {
        this.out = out;
        this.err = err;
        this.root = root;
        this.home = home;
        this.admin = new AdminClient(home);
    }

    /** Runs one daemon command, printing its progress and its last line; 0 when it succeeded. */
    int post(String command, Map<String, String> params) throws IOException {
        AdminClient.Outcome outcome = admin.post(command, params, out::println);
        if (outcome.ok()) {
            out.println(outcome.summary());
            return ControlMain.OK;
        }
        err.println("bin/control " + command + ": " + outcome.summary());
        return ControlMain.FAILED;
    }

    /** Runs {@code command} for each app in turn and stops at the first that fails. */
    int postEach(String command, List<String> apps, Map<String, String> more) throws IOException {
        List<String> names = expand(apps);
        for (int i = 0; i < names.size(); i++) {
            Map<String, String> params = new HashMap<>(more);
            params.put("app", names.get(i));
            if (post(command, params) != ControlMain.OK) {
                List<String> left = names.subList(i + 1, names.size());
                if (!left.isEmpty()) {
                    err.println("bin/control " + command + ": not done, after that failure: " + String.join(", ", left));
                }
                return ControlMain.FAILED;
            }
        }
        return ControlMain.OK;
    }

    /** The daemon's status tree; an IOException carries the daemon's reason when it refuses. */
    JsonNode status() throws IOException {
        HttpResponse<String> r = admin.get("status");
        if (r.statusCode() != 200) {
            throw new IOException(AdminClient.errorText(r.body()));
        }
        return AdminJson.MAPPER.readTree(r.body());
    }

    /** The names as given, {@code all} replaced by every app the daemon runs, each once, in order. */
    List<String> expand(List<String> names) throws IOException {
        List<String> out = new ArrayList<>();
        for (String name : names) {
            List<String> these = name.equals(ALL) ? running(status()) : List.of(name);
            these.stream().filter(n -> !out.contains(n)).forEach(out::add);
        }
        return out;
    }

    /** The apps of a status tree, in the daemon's order. */
    static List<String> running(JsonNode status) {
        List<String> names = new ArrayList<>();
        status.path("apps").forEach(a -> names.add(a.path("name").asText()));
        return names;
    }
}
