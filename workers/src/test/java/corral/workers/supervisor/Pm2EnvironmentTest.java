package corral.workers.supervisor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import corral.fixtures.CorralHome;
import corral.fixtures.SampleApp;
import corral.workers.config.Lifecycle;
import corral.workers.home.HomeLayout;
import corral.workers.logs.LogFiles;
import corral.workers.pool.DrainGate;
import corral.workers.pool.Pool;
import corral.workers.proc.ProcessTree;
import corral.workers.process.InstanceView;
import corral.workers.process.SetsidLauncher;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The variables PM2 gives each process, as real node instances see them under Corral. */
class Pm2EnvironmentTest {

    @RegisterExtension
    static final CorralHome HOME = new CorralHome();

    static final ObjectMapper JSON = new ObjectMapper();

    Supervisor supervisor;

    @BeforeEach
    void startSupervisor() throws Exception {
        Path home = Files.createTempDirectory(HOME.path(), "home");
        Map<String, String> env = new HashMap<>(System.getenv());
        env.remove("PM2_HOME");
        env.putAll(HOME.env());
        supervisor = new Supervisor(new HomeLayout(home), new SetsidLauncher(), DrainGate.NONE, Clock.systemUTC(), env);
    }

    @AfterEach
    void closeSupervisor() throws Exception {
        supervisor.close();
    }

    @Test
    void eachInstanceSeesPm2sVariablesWithAPmIdUniqueInTheDaemon() throws Exception {
        Set<Integer> pmIds = new HashSet<>();
        Set<String> uniqueIds = new HashSet<>();
        for (String name : new String[] {"web", "api"}) {
            Pool pool = supervisor.add(TestApps.pm2App(name, 2, Map.of(), Lifecycle.DEFAULT));
            pool.start().get(20, TimeUnit.SECONDS);
            for (InstanceView instance : pool.view().routable()) {
                JsonNode env = env(instance);
                assertTrue(pmIds.add(env.path("pm_id").asInt(-1)), "pm_id given twice: " + env);
                assertTrue(uniqueIds.add(UUID.fromString(env.path("unique_id").asText()).toString()), env.toString());
                assertEquals(name, env.path("name").asText());
                assertEquals("2", env.path("instances").asText());
                assertEquals("cluster_mode", env.path("exec_mode").asText());
                assertEquals(Integer.toString(instance.index()), env.path("NODE_APP_INSTANCE").asText());
                assertEquals(SampleApp.pm2AppJs().toString(), env.path("pm_exec_path").asText());
                assertEquals(supervisor.logs().pathFor(pool.config(), instance.index(), LogFiles.Stream.OUT).toString(),
                        env.path("pm_out_log_path").asText());
                assertEquals(supervisor.logs().pathFor(pool.config(), instance.index(), LogFiles.Stream.ERROR).toString(),
                        env.path("pm_err_log_path").asText());
                assertTrue(env.path("PM2_HOME").isNull(), env.toString());
            }
        }
        assertEquals(Set.of(0, 1, 2, 3), pmIds);
    }

    @Test
    void aRestartedOrReloadedInstanceKeepsItsPmIdAndUniqueId() throws Exception {
        Pool pool = supervisor.add(TestApps.pm2App("web", 1, Map.of(), Lifecycle.DEFAULT));
        pool.start().get(20, TimeUnit.SECONDS);
        InstanceView first = pool.view().routable().get(0);
        JsonNode before = env(first);

        ProcessTree.signal(first.pid(), "KILL");
        SupervisorTest.await("a new process serves", () -> pool.view().routable().stream()
                .anyMatch(i -> i.pid() != first.pid()), Duration.ofSeconds(20));
        InstanceView restarted = pool.view().routable().get(0);
        JsonNode afterRestart = env(restarted);
        pool.reload(1, line -> { }).get(30, TimeUnit.SECONDS);
        InstanceView reloaded = pool.view().routable().get(0);
        JsonNode afterReload = env(reloaded);

        assertNotEquals(restarted.pid(), reloaded.pid());
        for (JsonNode after : new JsonNode[] {afterRestart, afterReload}) {
            assertEquals(before.path("pm_id"), after.path("pm_id"));
            assertEquals(before.path("unique_id"), after.path("unique_id"));
        }
    }

    private static JsonNode env(InstanceView instance) throws Exception {
        return JSON.readTree(SupervisorTest.get(instance.port(), "/env").body());
    }
}
