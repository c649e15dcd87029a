package corral.proxy.control;

import java.util.Map;
import picocli.CommandLine.Command;

/** {@code bin/control reopen-logs}: reopen every log file (after logrotate). */
@Command(name = "reopen-logs", customSynopsis = "reopen-logs", description = "reopen every log file (after logrotate)")
final class ReopenLogsCommand extends Subcommand {

    @Override
    int run() throws Exception {
        return context().post("reopen-logs", Map.of());
    }
}
