package corral.proxy.control;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code bin/control online}: the machine's health answers again; apps taken offline one by one
 * stay offline (a release of one app may still be under way) until {@code online <app>} or
 * {@code online all}, which brings back the machine and every app.
 */
@Command(name = "online", customSynopsis = "online [app...]",
        description = "/health answers 200 again (all: the machine and every app taken offline)")
final class OnlineCommand extends Subcommand {

    @Parameters(arity = "0..*", paramLabel = "<app>", description = "only these apps' health (all: everything)")
    List<String> apps = List.of();

    @Override
    int run() throws Exception {
        ControlContext c = context();
        if (apps.isEmpty()) {
            return c.post("online", Map.of());
        }
        if (!apps.contains(ControlContext.ALL)) {
            return c.postEach("online", apps, Map.of());
        }
        int exit = c.post("online", Map.of());
        JsonNode offline = c.status().path("offlineApps");
        for (JsonNode app : offline) {
            exit = Math.max(exit, c.post("online", Map.of("app", app.asText())));
        }
        return exit;
    }
}
