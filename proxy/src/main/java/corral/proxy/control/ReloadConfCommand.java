package corral.proxy.control;

import java.util.Map;
import picocli.CommandLine.Command;

/** {@code bin/control reload-conf}: re-read pm2.json and the vhost rules, apply the difference (or SIGHUP). */
@Command(name = "reload-conf", customSynopsis = "reload-conf", description = "re-read pm2.json and the vhost rules, apply the difference (or SIGHUP)")
final class ReloadConfCommand extends Subcommand {

    @Override
    int run() throws Exception {
        return context().post("reload-conf", Map.of());
    }
}
