package corral.proxy.control;

import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code bin/control startup}: the systemd unit that runs {@code bin/control daemon}, printed or installed. */
@Command(name = "startup", customSynopsis = "startup [--user U] [--install] [--conf FILE] [--vhost PATH] [--env NAME] [--only APP[,APP...]]",
        description = "print (or install and enable) a systemd unit")
final class StartupCommand extends Subcommand {

    @Mixin
    ConfigOptions config;

    @Mixin
    OnlyOption only;

    @Option(names = "--user", paramLabel = "U", description = "the user the daemon runs as (default: root)")
    Optional<String> user = Optional.empty();

    @Option(names = "--install", description = "write /etc/systemd/system/corral.service and enable it")
    boolean install;

    @Override
    int run() throws Exception {
        ControlContext c = context();
        return SystemdUnit.startup(c.root, c.home, config.confFile(c.root), config.vhostPath(c.root), config.env, only.only, user,
                install, c.out, c.err);
    }
}
