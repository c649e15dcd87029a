package corral.proxy.daemon;

import corral.fixtures.CorralHome;
import corral.workers.cgroup.Cgroups;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The isolation scenarios with CPU sets only ({@code CORRAL_CGROUPS=off}), as on a machine whose
 * cgroup file system is not writable: Corral starts anyway and says so in check, start and status.
 */
class IsolationWithoutCgroupsIT extends IsolationScenarios {

    @RegisterExtension
    static final CorralHome HOME = new CorralHome();

    @BeforeAll
    static void startCorral() throws Exception {
        start(HOME, Map.of(Cgroups.SWITCH, "off"));
    }

    @Override
    String expectedCgroupLine() {
        return Cgroups.UNAVAILABLE + " (CORRAL_CGROUPS=off); cpu_quota, cpu_weight and memory_max are not applied";
    }

    @Override
    boolean withCgroups() {
        return false;
    }
}
