package corral.proxy.control;

import java.net.http.HttpResponse;
import picocli.CommandLine.Command;

/** {@code bin/control metrics}: the daemon's metrics as JSON. */
@Command(name = "metrics", customSynopsis = "metrics",
        description = "the daemon's metrics as JSON (requests, errors by kind, latency, in flight)")
final class MetricsCommand extends Subcommand {

    @Override
    int run() throws Exception {
        ControlContext c = context();
        HttpResponse<String> r = c.admin.get("metrics");
        (r.statusCode() == 200 ? c.out : c.err).println(r.body());
        return r.statusCode() == 200 ? ControlMain.OK : ControlMain.FAILED;
    }
}
