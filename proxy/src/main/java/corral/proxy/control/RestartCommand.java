package corral.proxy.control;

import picocli.CommandLine.Command;

/** {@code bin/control restart}: hard restart: stop every instance, then start them all. */
@Command(name = "restart", customSynopsis = "restart <app>...", description = "hard restart: stop every instance, then start them all")
final class RestartCommand extends AppsCommand {
}
