package corral.proxy.control;

import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The root of {@code bin/control}'s command tree. Each command is one small class listed here;
 * adding a command is writing its class (a {@link Subcommand}) and naming it in
 * {@code subcommands}. Run without a command, it prints the list of commands.
 */
@Command(name = "control", subcommands = {
    StartCommand.class, StopCommand.class, RestartCommand.class, ReloadCommand.class, DeleteCommand.class,
    ScaleCommand.class, StatusCommand.class, MonitCommand.class, JlistCommand.class, DescribeCommand.class, MetricsCommand.class,
    LogsCommand.class, ReloadConfCommand.class, OfflineCommand.class, OnlineCommand.class,
    ReopenLogsCommand.class, KillCommand.class, DaemonCommand.class, StartupCommand.class, CheckCommand.class, CompletionCommand.class, HelpCommand.class})
final class ControlCommand implements Callable<Integer> {

    /** The synopsis column of the command list. */
    private static final int WIDTH = 50;

    private final ControlContext context;

    @Spec
    CommandSpec spec;

    /** Accepted so that {@code bin/control --help} prints the list, as a bare {@code bin/control} does. */
    @picocli.CommandLine.Option(names = {"-h", "--help"}, hidden = true)
    boolean help;

    ControlCommand(ControlContext context) {
        this.context = context;
    }

    ControlContext context() {
        return context;
    }

    @Override
    public Integer call() {
        usage(spec.commandLine(), context.out);
        return ControlMain.OK;
    }

    /** One line per command: its synopsis and what it does. */
    static void usage(CommandLine root, java.io.PrintStream to) {
        to.println("usage: bin/control <command> [args]   (home: $CORRAL_HOME, default the Corral directory;"
                + " <app> may be several names, or all)");
        Set<CommandLine> seen = new LinkedHashSet<>(root.getSubcommands().values());
        for (CommandLine c : seen) {
            CommandSpec s = c.getCommandSpec();
            String synopsis = Subcommand.synopsis(s);
            String aliases = s.aliases().length == 0 ? "" : " (also: " + String.join(", ", s.aliases()) + ")";
            String what = s.usageMessage().description()[0] + aliases;
            to.println(synopsis.length() > WIDTH ? "  " + synopsis + "\n  " + " ".repeat(WIDTH) + " " + what
                    : String.format("  %-" + WIDTH + "s %s", synopsis, what));
        }
    }
}
