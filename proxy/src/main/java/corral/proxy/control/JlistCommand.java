package corral.proxy.control;

import java.util.List;
import picocli.CommandLine.Command;

/** {@code bin/control jlist}: PM2's name for {@code status --json}. */
@Command(name = "jlist", customSynopsis = "jlist", description = "the same as status --json (as pm2 jlist)")
final class JlistCommand extends Subcommand {

    @Override
    int run() throws Exception {
        return StatusCommand.print(context(), List.of(), true);
    }
}
