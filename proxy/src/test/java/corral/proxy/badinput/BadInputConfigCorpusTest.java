package corral.proxy.badinput;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import corral.fixtures.CorralHome;
import corral.proxy.daemon.ConfigSet;
import corral.proxy.daemon.InvalidConfigException;
import corral.proxy.install.CorralInstall;
import corral.workers.config.AppSelection;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The corpus of broken configurations, loaded in process by {@link ConfigSet#load}: the loader
 * that {@code bin/control start} and {@code reload-conf} use. Each case must be refused, with
 * an error that names its place and says why. The same corpus goes through {@code bin/control}
 * in {@link BadInputConfigCheckIT} and {@link BadInputConfigReloadIT}.
 */
class BadInputConfigCorpusTest {

    @RegisterExtension
    static final CorralHome HOME = new CorralHome();

    static CorralInstall corral;

    @BeforeAll
    static void install() throws Exception {
        corral = new CorralInstall(HOME);
    }

    @Test
    void theCorpusHoldsAtLeastFortyCasesAndEachNamesAPlace() {
        List<ConfigCorpus.Case> cases = ConfigCorpus.all();
        long pm2 = cases.stream().filter(c -> c.kind() == ConfigCorpus.Kind.PM2).count();
        long vhost = cases.stream().filter(c -> c.kind() == ConfigCorpus.Kind.VHOST).count();
        assertTrue(cases.size() >= 40, "only " + cases.size() + " cases");
        assertTrue(pm2 >= 20 && vhost >= 20, "pm2.json cases " + pm2 + ", vhost cases " + vhost);
        for (ConfigCorpus.Case c : cases) {
            assertTrue(c.expected().get(0).matches("[\\w.-]+\\.(json|conf|inc):(\\d+:.*| .+)"),
                    c + ": the first expected text must be the place, file:line: ..., was " + c.expected().get(0));
        }
    }

    @Test
    void theGoodConfigurationLoads() throws Exception {
        corral.writeGoodConfig(2, 2, "");
        ConfigSet loaded = ConfigSet.load(corral.conf, corral.vhost, Optional.empty(), AppSelection.ALL);
        assertEquals(2, loaded.ecosystem().apps().size());
        assertEquals(List.of(corral.vhostPort), loaded.vhost().orElseThrow().listenPorts());
    }

    @TestFactory
    Stream<DynamicTest> everyCaseIsRefusedNamingItsPlaceAndWhy() {
        return ConfigCorpus.all().stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> {
            corral.writeGoodConfig(2, 2, "");
            c.install(corral);
            try {
                ConfigSet.load(corral.conf, corral.vhost, Optional.empty(), AppSelection.ALL);
                fail(c + ": loaded without an error");
            } catch (InvalidConfigException e) {
                assertEquals(List.of(), c.missingFrom(e.getMessage()), c + ": the error was:\n" + e.getMessage());
            }
        }));
    }
}
