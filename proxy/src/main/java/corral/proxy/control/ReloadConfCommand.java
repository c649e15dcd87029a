package corral.proxy.control;

import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code bin/control reload-conf}: re-read pm2.json and the vhost rules, apply the difference (or
 * SIGHUP). With {@code --only a,b}, as {@code pm2 reload ecosystem.config.js --only a,b}: the
 * difference of those apps alone (added when they did not run); the others and the rules stay.
 */
@Command(name = "reload-conf", customSynopsis = "reload-conf [--only APP[,APP...]]",
        description = "re-read pm2.json and the vhost rules, apply the difference (or SIGHUP); --only: for those apps alone")
final class ReloadConfCommand extends Subcommand {

    @Mixin
    OnlyOption only;

    @Override
    int run() throws Exception {
        return context().post("reload-conf", only.only.all() ? Map.of() : Map.of("only", only.only.toString()));
    }
}
