package corral.proxy.control;

import picocli.CommandLine.Command;

/** {@code bin/control delete}: stop the apps and forget them until the next start/reload-conf. */
@Command(name = "delete", customSynopsis = "delete <app>...", description = "stop the apps and forget them until the next start/reload-conf")
final class DeleteCommand extends AppsCommand {
}
