package corral.proxy.daemon;

import corral.workers.home.HomeLayout;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * How a daemon was started: its home, the ecosystem file and vhost path it reads (again on
 * reload-conf), the {@code --env} overlay, where traffic listeners bind, and the probe's path.
 */
public record DaemonSettings(HomeLayout home, Path conf, Path vhost, Optional<String> envName,
                             String bindAddress, String healthPath, Duration idleUpstreamTimeout) {

    public static DaemonSettings of(HomeLayout home, Path conf, Path vhost, Optional<String> envName) {
        return new DaemonSettings(home, conf, vhost, envName,
                System.getProperty("corral.bind", "0.0.0.0"),
                System.getProperty("corral.health.path", "/health"),
                Duration.ofMillis(Long.getLong("corral.upstream.idle.ms", 4000)));
    }
}
