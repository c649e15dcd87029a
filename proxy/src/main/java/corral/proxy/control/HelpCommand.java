package corral.proxy.control;

import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code bin/control help [command]}: the list of commands, or one command's help. */
@Command(name = "help", customSynopsis = "help [command]", description = "the list of commands, or one command's help")
final class HelpCommand extends Subcommand {

    @Spec
    CommandSpec spec;

    @Parameters(arity = "0..1", paramLabel = "<command>", description = "a command")
    Optional<String> command = Optional.empty();

    @Override
    int run() {
        CommandLine root = spec.root().commandLine();
        if (command.isEmpty()) {
            ControlCommand.usage(root, context().out);
            return ControlMain.OK;
        }
        CommandLine sub = root.getSubcommands().get(command.get());
        if (sub == null) {
            throw new UsageException("unknown command '" + command.get() + "'");
        }
        sub.usage(context().out);
        return ControlMain.OK;
    }
}
