package corral.workers.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class AppConfigTest {

    static AppConfig app(int instances) {
        return new AppConfig("h5", Path.of("/c/pm2.json"), Path.of("/c/app.js"), List.of("--x"),
                Path.of("/c"), Optional.of("node"), List.of("--max-old-space-size=64"), instances,
                OptionalInt.of(8198), Map.of("NODE_ENV", "production"), Duration.ofMillis(1600),
                Duration.ofSeconds(3), Duration.ofSeconds(1), 16, Duration.ZERO, Duration.ZERO,
                true, List.of(), 0, false, Optional.empty(), Optional.empty(), Optional.empty(),
                "NODE_APP_INSTANCE", Optional.empty(),
                new ResourceLimits(Optional.of(CpuSet.parse("0-1")), OptionalInt.of(150), OptionalInt.empty(), 1L << 30),
                new ProxyLimits(Duration.ofSeconds(5), 64, 8), Lifecycle.DEFAULT);
    }

    @Test
    void commandPutsInterpreterAndItsArgsBeforeTheScript() {
        assertEquals(List.of("node", "--max-old-space-size=64", "/c/app.js", "--x"), app(2).command());
    }

    @Test
    void rejectsFewerThanOneInstance() {
        assertThrows(IllegalArgumentException.class, () -> app(0));
    }

    @Test
    void aPlainPm2AppHasNoResourceLimitsAndTheProxysDefaults() {
        AppConfig full = app(2);
        AppConfig plain = new AppConfig(full.name(), full.source(), full.script(), full.args(), full.cwd(),
                full.interpreter(), full.interpreterArgs(), 2, full.publicPort(), full.env(), full.killTimeout(),
                full.listenTimeout(), full.minUptime(), full.maxRestarts(), full.restartDelay(),
                full.expBackoffRestartDelay(), full.autorestart(), full.stopExitCodes(), full.maxMemoryBytes(),
                full.mergeLogs(), full.outFile(), full.errorFile(), full.logDateFormat(), full.instanceVar(),
                full.readinessPath());
        assertEquals(ResourceLimits.NONE, plain.resources());
        assertEquals(ProxyLimits.DEFAULTS, plain.proxy());
    }

    @Test
    void withInstancesChangesOnlyTheCount() {
        AppConfig scaled = app(2).withInstances(5);
        assertEquals(5, scaled.instances());
        assertEquals(app(5), scaled);
    }
}
