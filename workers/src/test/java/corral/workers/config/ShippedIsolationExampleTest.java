package corral.workers.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import corral.fixtures.SampleApp;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** conf/pm2.24-cores.json: the seed's file for its 24-core machines, nuomi on 0-13 and h5 on 14-23. */
class ShippedIsolationExampleTest {

    static final Path EXAMPLE = SampleApp.repoRoot().resolve("conf/pm2.24-cores.json");

    @Test
    void onTheSeeds24CoreMachinesEachPoolHasItsOwnCpusAndNothingButTheSeedsOwnWarnings() throws ConfigException {
        Ecosystem ecosystem = EcosystemLoader.load(EXAMPLE, Optional.empty(), 24);

        AppConfig nuomi = ecosystem.app("nuomi").orElseThrow();
        AppConfig h5 = ecosystem.app("h5").orElseThrow();
        assertEquals(new ResourceLimits(Optional.of(CpuSet.parse("0-13")), OptionalInt.empty(), OptionalInt.empty(), 8L << 30),
                nuomi.resources());
        assertEquals(new ResourceLimits(Optional.of(CpuSet.parse("14-23")), OptionalInt.empty(), OptionalInt.empty(), 6L << 30),
                h5.resources());
        assertEquals(new ProxyLimits(Duration.ofSeconds(60), 700, 140), nuomi.proxy());
        assertEquals(new ProxyLimits(Duration.ofSeconds(60), 500, 100), h5.proxy());
        assertTrue(ecosystem.warnings().stream().allMatch(w -> w.message().contains("PM2_GRACEFUL_TIMEOUT")),
                ecosystem.warnings().toString());
    }

    @Test
    void aMachineWithoutCpus14To23RefusesIt() {
        ConfigException e = org.junit.jupiter.api.Assertions.assertThrows(ConfigException.class,
                () -> EcosystemLoader.load(EXAMPLE, Optional.empty(), 2));

        assertEquals(List.of("cpus"), e.errors().stream().map(p -> p.field().orElseThrow()).toList());
        assertTrue(e.errors().get(0).message().endsWith("app 'h5': cpus: \"14-23\" names no CPU of this machine "
                + "(it has 0-1): no instance could run"), e.errors().toString());
    }
}
