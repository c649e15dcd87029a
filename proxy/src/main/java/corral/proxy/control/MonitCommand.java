package corral.proxy.control;

import picocli.CommandLine.Command;

/** {@code bin/control monit}: a live terminal view, as {@code pm2 monit}. */
@Command(name = "monit", customSynopsis = "monit",
        description = "live view of pools and instances (CPU, memory, req/s, errors); q quits")
final class MonitCommand extends Subcommand {

    @Override
    int run() throws Exception {
        ControlContext c = context();
        return Monitor.run(c.admin, c.out, c.err);
    }
}
