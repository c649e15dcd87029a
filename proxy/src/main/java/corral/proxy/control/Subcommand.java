package corral.proxy.control;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * What every {@code bin/control} command has: {@code -h/--help}, a usage line written as
 * {@code usage: bin/control <synopsis>}, and the run's {@link ControlContext}. A command's class
 * gives its synopsis (without the {@code bin/control} prefix) as {@code customSynopsis} and a
 * one-line {@code description}, and implements {@link #run()}.
 */
@Command(synopsisHeading = "usage: bin/control ", descriptionHeading = "%n", optionListHeading = "%noptions:%n",
        parameterListHeading = "%n", sortOptions = false)
abstract class Subcommand implements Callable<Integer> {

    @ParentCommand
    private ControlCommand parent;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "print this help")
    private boolean help;

    @Override
    public final Integer call() throws Exception {
        return run();
    }

    /** Does the command; returns the exit code (0 done, 1 failed). Usage errors throw {@link UsageException}. */
    abstract int run() throws Exception;

    ControlContext context() {
        return parent.context();
    }

    /** The command's synopsis: {@code stop <app>...}. */
    static String synopsis(CommandSpec spec) {
        String[] custom = spec.usageMessage().customSynopsis();
        return custom.length > 0 ? custom[0].strip() : spec.name();
    }
}
