package corral.workers.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** wait_ready and shutdown_with_message: read as PM2 does, refused where no IPC channel can exist. */
class LifecycleAttributesTest extends EcosystemTest {

    @Test
    void aNodeAppTakesBothWithoutAWarningAndCheckShowsThem() throws ConfigException {
        AppConfig app = fixture.app("{apps: [{name: 'web', script: 'app.js', wait_ready: true, shutdown_with_message: true}]}");

        assertEquals(new Lifecycle(true, true), app.lifecycle());
        assertEquals(List.of(), fixture.warnings("{apps: [{name: 'web', script: 'app.js', wait_ready: true}]}"));
        assertEquals("web: 1 instance, no public port, node app.js, kill_timeout 1600 ms, listen_timeout 3000 ms, "
                + "max memory unlimited, merge_logs false, wait_ready, shutdown_with_message", EcosystemReport.describe(app));
    }

    @Test
    void theDefaultIsPm2s() throws ConfigException {
        assertEquals(Lifecycle.DEFAULT, fixture.app("{apps: [{name: 'web', script: 'app.js'}]}").lifecycle());
    }

    @Test
    void anAppNotRunByNodeCannotWaitForReadyNorBeToldToShutDown() {
        fixture.script("run.sh");
        assertEquals(List.of(
                fixture.at(1) + "app 'sh': wait_ready: true needs the app to run under node (its IPC channel is a "
                        + "node preload); this app runs bash",
                fixture.at(1) + "app 'sh': shutdown_with_message: true needs the app to run under node (its IPC "
                        + "channel is a node preload); this app runs bash"),
                fixture.errors("{apps: [{name: 'sh', script: 'run.sh', wait_ready: true, shutdown_with_message: true}]}"));
    }

    @Test
    void aValueThatIsNotABooleanIsAnError() {
        assertEquals(List.of(fixture.at(1) + "app 'web': wait_ready: \"yes\" is not true or false"),
                fixture.errors("{apps: [{name: 'web', script: 'app.js', wait_ready: 'yes'}]}"));
    }
}
