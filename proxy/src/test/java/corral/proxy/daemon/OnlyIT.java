package corral.proxy.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import corral.fixtures.CorralHome;
import corral.fixtures.FreePorts;
import corral.fixtures.ProcessLeaks;
import corral.fixtures.SampleApp;
import corral.proxy.install.CorralInstall;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * PM2's {@code --only}, through {@code bin/control} against a real daemon: {@code check} and
 * {@code start} take only the named apps of a file whose other app could not run (a dev app on
 * the same port, its script absent, as starter kits ship them); {@code reload-conf} keeps that
 * choice, and {@code reload-conf --only} applies the file to the named apps alone.
 */
class OnlyIT {

    @RegisterExtension
    static final CorralHome HOME = new CorralHome();

    @Test
    void startCheckAndReloadConfRunOnlyTheNamedApps() throws Exception {
        Path dir = Files.createDirectories(HOME.path().resolve("only"));
        Files.copy(SampleApp.appJs(), dir.resolve("app.js"));
        int[] ports = FreePorts.pick(2);
        Path conf = dir.resolve("ecosystem.config.js");
        Files.writeString(conf, ecosystem(ports, 1));
        CorralInstall corral = new CorralInstall(HOME, conf);
        try {
            CorralInstall.Result unknown = corral.control("check", "--only", "api");
            assertNotEquals(0, unknown.exit(), unknown.toString());
            assertTrue(unknown.err().contains("--only api: no app of the file is named 'api' (its apps: web, admin, dev)"),
                    unknown.toString());
            CorralInstall.Result check = corral.control("check", "--only", "web,admin");
            assertEquals(0, check.exit(), check.toString());
            assertFalse(check.out().contains("dev:"), check.toString());

            corral.ok("start", "--only", "web");
            assertEquals(200, CorralInstall.get(ports[0], "/ready").statusCode());
            assertEquals(0, corral.readyPids("admin").size());

            Files.writeString(conf, ecosystem(ports, 2));
            CorralInstall.Result reloadConf = corral.control("reload-conf");
            assertEquals(0, reloadConf.exit(), "the daemon still runs only web: " + reloadConf);
            assertEquals(2, corral.readyPids("web").size());
            assertEquals(0, corral.readyPids("admin").size());

            Files.writeString(conf, ecosystem(ports, 3));
            corral.ok("reload-conf", "--only", "admin");
            assertEquals(200, CorralInstall.get(ports[1], "/ready").statusCode());
            assertEquals(3, corral.readyPids("admin").size());
            assertEquals(2, corral.readyPids("web").size(), "web's change waits for its own reload-conf");

            CorralInstall.Result dev = corral.control("reload-conf", "--only", "dev");
            assertNotEquals(0, dev.exit(), dev.toString());
            assertTrue(dev.out().contains("nothing changed") || dev.err().contains("nothing changed"), dev.toString());
            assertEquals(2, corral.readyPids("web").size());
        } finally {
            corral.ok("kill");
        }
        assertTrue(ProcessLeaks.find(HOME.path().toString()).isEmpty(), "no residual process");
    }

    /** web and admin, {@code instances} each; dev shares web's port and its script is not there. */
    private static String ecosystem(int[] ports, int instances) {
        return """
                module.exports = {
                  apps: [
                    { name: 'web', script: 'app.js', exec_mode: 'cluster', instances: %2$d, env: { PORT: %1$d } },
                    { name: 'admin', script: 'app.js', instances: %2$d, env: { PORT: %3$d } },
                    { name: 'dev', script: 'src/server.ts', watch: ['src'], env: { PORT: %1$d } },
                  ],
                };
                """.formatted(ports[0], instances, ports[1]);
    }
}
