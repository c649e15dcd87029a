package corral.proxy.control;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code bin/control scale <app> N|+N|-N}: as {@code pm2 scale}, {@code +N} and {@code -N} add
 * or remove instances from the count the daemon runs now, {@code N} sets it.
 */
@Command(name = "scale", customSynopsis = "scale <app> <N|+N|-N>",
        description = "run N instances, or N more (+N) or fewer (-N)")
final class ScaleCommand extends Subcommand {

    @Parameters(index = "0", paramLabel = "<app>", description = "the app")
    String app;

    @Parameters(index = "1", paramLabel = "<N|+N|-N>", converter = InstanceChange.Converter.class,
            description = "how many instances, or how many more or fewer")
    InstanceChange change;

    @Override
    int run() throws Exception {
        ControlContext c = context();
        int target = change.relative() ? change.applyTo(configured(c)) : change.count();
        return c.post("scale", Map.of("app", app, "instances", Integer.toString(target)));
    }

    /** How many instances the app is configured to run now. */
    private int configured(ControlContext c) throws IOException {
        JsonNode status = c.status();
        for (JsonNode a : status.path("apps")) {
            if (a.path("name").asText().equals(app)) {
                return a.path("configured").asInt();
            }
        }
        throw new IOException("scale " + app + ": no app named '" + app + "' runs (apps: "
                + String.join(", ", ControlContext.running(status)) + ")");
    }
}
