package corral.proxy.control;

import java.util.List;
import java.util.Map;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * A command that the daemon does app by app ({@code stop h5 nuomi}, {@code restart all}): the
 * admin command of the same name, for each app in turn, stopping at the first that fails.
 */
abstract class AppsCommand extends Subcommand {

    @Spec
    CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "<app>", description = "app names, or all")
    List<String> apps;

    @Override
    int run() throws Exception {
        return context().postEach(spec.name(), apps, parameters());
    }

    /** Parameters the command sends besides the app. */
    Map<String, String> parameters() {
        return Map.of();
    }
}
