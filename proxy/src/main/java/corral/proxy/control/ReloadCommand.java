package corral.proxy.control;

import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code bin/control reload}: the zero-downtime rolling replacement, one app after the other. */
@Command(name = "reload", customSynopsis = "reload <app>... [--parallel K]",
        description = "zero-downtime rolling replacement, K instances at a time")
final class ReloadCommand extends AppsCommand {

    @Option(names = "--parallel", paramLabel = "K", description = "instances replaced at once (default 1)")
    int parallel = 1;

    @Override
    Map<String, String> parameters() {
        if (parallel < 1) {
            throw new UsageException("--parallel must be at least 1, was " + parallel);
        }
        return Map.of("parallel", Integer.toString(parallel));
    }
}
