package corral.proxy.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import corral.workers.config.AppSelection;
import corral.workers.home.HomeLayout;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The unit text: what systemd reads literally, quoted where it would split or expand. */
class SystemdUnitTest {

    private static SystemdUnit unit(String root, Optional<String> user, Duration stop) {
        Path r = Path.of(root);
        return new SystemdUnit(r.resolve("bin/control"), new HomeLayout(r), r.resolve("conf/pm2.json"), r.resolve("conf/vhost"),
                Optional.of("prod"), AppSelection.parse("web,api"), user, stop, Map.of("CORRAL_HOME", root));
    }

    private static List<String> lines(SystemdUnit u) {
        return u.render().lines().toList();
    }

    @Test
    void runsTheDaemonInTheForegroundAndStopsItAloneWithSigterm() {
        List<String> lines = lines(unit("/opt/corral", Optional.empty(), Duration.ofMillis(20_500)));

        assertTrue(lines.contains("ExecStart=/opt/corral/bin/control daemon --conf /opt/corral/conf/pm2.json"
                + " --vhost /opt/corral/conf/vhost --env prod --only web,api"), lines.toString());
        assertTrue(lines.contains("ExecReload=/bin/kill -HUP $MAINPID"));
        assertTrue(lines.contains("KillSignal=SIGTERM"));
        assertTrue(lines.contains("KillMode=mixed"), "SIGTERM to the daemon only: the instances drain first");
        assertTrue(lines.contains("TimeoutStopSec=21"), "rounded up to whole seconds");
        assertTrue(lines.contains("Restart=on-failure"));
        assertTrue(lines.contains("LimitNOFILE=65536"));
        assertTrue(lines.contains("Environment=CORRAL_HOME=/opt/corral"));
        assertTrue(lines.stream().noneMatch(l -> l.startsWith("User=")), "no user: systemd's default (root)");
    }

    @Test
    void quotesBlanksAndEscapesSpecifiersAndDollars() {
        SystemdUnit u = new SystemdUnit(Path.of("/srv/my corral/bin/control"), new HomeLayout(Path.of("/srv/my corral")),
                Path.of("/srv/100%/$HOME.json"), Path.of("/srv/vhost"), Optional.empty(), AppSelection.ALL, Optional.of("www-data"),
                Duration.ofSeconds(30), Map.of("CORRAL_HOME", "/srv/my corral"));
        List<String> lines = lines(u);

        assertTrue(lines.contains("ExecStart=\"/srv/my corral/bin/control\" daemon --conf \"/srv/100%%/$$HOME.json\""
                + " --vhost /srv/vhost"), lines.toString());
        assertTrue(lines.contains("Environment=\"CORRAL_HOME=/srv/my corral\""), lines.toString());
        assertTrue(lines.contains("User=www-data"));
        assertFalse(u.render().contains("--env"));
        assertFalse(u.render().contains("--only"));
    }
}
