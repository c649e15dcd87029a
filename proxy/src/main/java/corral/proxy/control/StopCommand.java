package corral.proxy.control;

import picocli.CommandLine.Command;

/** {@code bin/control stop}: stop the apps' instances (drained, then SIGINT, then SIGKILL). */
@Command(name = "stop", customSynopsis = "stop <app>...", description = "stop the apps' instances (drained, then SIGINT, then SIGKILL)")
final class StopCommand extends AppsCommand {
}
