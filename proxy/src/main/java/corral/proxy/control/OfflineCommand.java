package corral.proxy.control;

import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code bin/control offline}: {@code /health} answers 503 on every listener, so the VIP drains
 * this machine; {@code offline <app>...} takes only those apps' health out (their port, the
 * vhosts that route to them, {@code /health/<app>}). Traffic is still served either way.
 */
@Command(name = "offline", customSynopsis = "offline [app...]",
        description = "/health answers 503 (the VIP drains this machine, or these apps); traffic still served")
final class OfflineCommand extends Subcommand {

    @Parameters(arity = "0..*", paramLabel = "<app>", description = "only these apps' health (all: the machine)")
    List<String> apps = List.of();

    @Override
    int run() throws Exception {
        if (apps.isEmpty() || apps.contains(ControlContext.ALL)) {
            return context().post("offline", Map.of());
        }
        return context().postEach("offline", apps, Map.of());
    }
}
