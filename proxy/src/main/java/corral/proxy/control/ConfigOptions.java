package corral.proxy.control;

import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * The options that say which configuration a daemon runs ({@code --conf}, {@code --vhost},
 * {@code --env}), shared as a picocli mixin by every command that loads one.
 */
final class ConfigOptions {

    @Option(names = "--conf", paramLabel = "FILE", description = "the pm2.json (default conf/pm2.json)")
    Optional<Path> conf = Optional.empty();

    @Option(names = "--vhost", paramLabel = "PATH", description = "the vhost rules (default conf/vhost)")
    Optional<Path> vhost = Optional.empty();

    @Option(names = "--env", paramLabel = "NAME", description = "overlay env_NAME on each app's env")
    Optional<String> env = Optional.empty();

    /** The pm2.json given, made absolute, or the Corral directory's. */
    Path confFile(Path root) {
        return conf.map(p -> p.toAbsolutePath().normalize()).orElse(root.resolve("conf/pm2.json"));
    }

    /** The vhost rules given, made absolute, or the Corral directory's. */
    Path vhostPath(Path root) {
        return vhost.map(p -> p.toAbsolutePath().normalize()).orElse(root.resolve("conf/vhost"));
    }

    boolean anyGiven() {
        return conf.isPresent() || vhost.isPresent() || env.isPresent();
    }
}
