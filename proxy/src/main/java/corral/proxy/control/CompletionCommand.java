package corral.proxy.control;

import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code bin/control completion}: prints a bash (and zsh, through bashcompinit) completion script
 * for the commands and their options, generated from this command tree so it never goes stale.
 */
@Command(name = "completion", customSynopsis = "completion",
        description = "a bash completion script: source <(bin/control completion)")
final class CompletionCommand extends Subcommand {

    @Spec
    CommandSpec spec;

    @Override
    int run() {
        context().out.print(AutoComplete.bash("control", spec.root().commandLine()));
        return ControlMain.OK;
    }
}
