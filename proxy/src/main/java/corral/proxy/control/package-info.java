/**
 * {@code bin/control}: the command line. It validates configuration locally ({@code check}),
 * starts a daemon when none runs for the home, and sends every other command to the daemon's
 * admin API, printing its progress and turning its outcome into one line and an exit code.
 *
 * <p>The command line is parsed by picocli: {@link corral.proxy.control.ControlMain} builds the
 * tree under {@code ControlCommand}, one small class per command extending {@code Subcommand}
 * (usage line, {@code --help}, the run's {@code ControlContext}); commands done app by app extend
 * {@code AppsCommand}. Adding a command is one class and one entry in {@code ControlCommand}'s
 * {@code subcommands}:
 *
 * <pre>{@code
 * @Command(name = "daemon", customSynopsis = "daemon [--conf F] [--vhost P] [--env NAME]",
 *         description = "run the daemon in the foreground (for systemd)")
 * final class DaemonCommand extends Subcommand {
 *     @Mixin ConfigOptions config;
 *     @Override int run() throws Exception { ... return ControlMain.OK; }
 * }
 * }</pre>
 *
 * A wrong command line never reaches {@code run()}: picocli's error becomes one line and exit 2.
 */
package corral.proxy.control;
