package corral.proxy.control;

import corral.proxy.daemon.ForegroundDaemon;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code bin/control daemon}: the daemon in this process, in the foreground, as systemd runs it. */
@Command(name = "daemon", customSynopsis = "daemon [--conf FILE] [--vhost PATH] [--env NAME] [--only APP[,APP...]]",
        description = "the daemon in the foreground (systemd): TERM drains, HUP reloads, USR1 reopens logs")
final class DaemonCommand extends Subcommand {

    @Mixin
    ConfigOptions config;

    @Mixin
    OnlyOption only;

    @Override
    int run() {
        ControlContext c = context();
        return ForegroundDaemon.run(c.home, config.confFile(c.root), config.vhostPath(c.root), config.env, only.only);
    }
}
