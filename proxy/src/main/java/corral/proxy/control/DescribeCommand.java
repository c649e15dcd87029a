package corral.proxy.control;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code bin/control describe <app>}: everything the daemon knows of an app, as {@code pm2 describe}. */
@Command(name = "describe", customSynopsis = "describe <app>...",
        description = "one app in detail: health, port, limits, log files, instances")
final class DescribeCommand extends Subcommand {

    @Parameters(arity = "1..*", paramLabel = "<app>", description = "app names, or all")
    List<String> apps;

    @Override
    int run() throws Exception {
        ControlContext c = context();
        JsonNode status = StatusCommand.only(c.status(), apps);
        for (JsonNode app : status.path("apps")) {
            StatusTable.describe(app, c.out);
        }
        return ControlMain.OK;
    }
}
