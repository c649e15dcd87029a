package corral.proxy.daemon;

import corral.fixtures.CorralHome;
import corral.workers.cgroup.Cgroups;
import corral.workers.home.HomeLayout;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The isolation scenarios with the cgroups this machine offers (v2, else v1); CPU sets only where it offers none. */
class IsolationIT extends IsolationScenarios {

    @RegisterExtension
    static final CorralHome HOME = new CorralHome();

    static Cgroups offered;

    @BeforeAll
    static void startCorral() throws Exception {
        offered = Cgroups.probe(new HomeLayout(HOME.path()), Map.of());
        start(HOME, Map.of());
    }

    @Override
    String expectedCgroupLine() {
        return offered.available() ? offered.summary().substring(0, "cgroup v".length()) : Cgroups.UNAVAILABLE;
    }

    @Override
    boolean withCgroups() {
        return offered.available();
    }
}
