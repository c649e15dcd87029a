package corral.workers.supervisor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import corral.fixtures.CorralHome;
import corral.workers.config.AppConfig;
import corral.workers.config.Lifecycle;
import corral.workers.home.HomeLayout;
import corral.workers.logs.LogFiles;
import corral.workers.pool.DrainGate;
import corral.workers.pool.Pool;
import corral.workers.process.InstanceView;
import corral.workers.process.SetsidLauncher;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * PM2's IPC channel under Corral, with real node processes: {@code process.send('ready')} and
 * {@code wait_ready}, the {@code 'shutdown'} message, other messages logged, a crash while the
 * channel is held, and a channel that does not leak into the app's own children.
 */
class Pm2MessagesTest {

    @RegisterExtension
    static final CorralHome HOME = new CorralHome();

    static final ObjectMapper JSON = new ObjectMapper();
    static final Lifecycle WAIT_READY = new Lifecycle(true, false);

    Supervisor supervisor;
    final List<String> ipcLog = new CopyOnWriteArrayList<>();
    final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            ipcLog.add(record.getMessage());
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeEach
    void startSupervisor() throws Exception {
        Logger.getLogger("corral.ipc").addHandler(capture);
        Path home = Files.createTempDirectory(HOME.path(), "home");
        Map<String, String> env = new HashMap<>(System.getenv());
        env.putAll(HOME.env());
        supervisor = new Supervisor(new HomeLayout(home), new SetsidLauncher(), DrainGate.NONE, Clock.systemUTC(), env);
    }

    @AfterEach
    void closeSupervisor() throws Exception {
        Logger.getLogger("corral.ipc").removeHandler(capture);
        supervisor.close();
    }

    @Test
    void anInstanceWithWaitReadyGetsTrafficOnlyOnceItSaysReady() throws Exception {
        Pool pool = supervisor.add(TestApps.pm2App("web", 1, Map.of("READY_DELAY_MS", "1500"), WAIT_READY));
        var started = pool.start();

        SupervisorTest.await("the instance listens", () -> out(pool.config(), 0).contains("listening"), Duration.ofSeconds(10));
        assertTrue(pool.view().routable().isEmpty(), "listening is not ready under wait_ready: " + pool.view());
        started.get(20, TimeUnit.SECONDS);
        assertEquals(1, pool.view().routable().size());
        // The line reaches the file through the log pump, which may look at a quiet stream up to
        // 100 ms after the ready message came over the channel: wait for it, not for a time.
        SupervisorTest.await("the instance logged sending ready", () -> out(pool.config(), 0).contains("ready sent"), Duration.ofSeconds(10));
    }

    @Test
    void oneThreadReadsTheChannelsOfEveryInstance() throws Exception {
        Pool pool = supervisor.add(TestApps.pm2App("web", 3, Map.of(), WAIT_READY));
        pool.start().get(30, TimeUnit.SECONDS);
        assertEquals(3, pool.view().routable().size(), "all three said ready over their channels");

        // A thread per connection grew the daemon by one thread per instance (issue 12). An
        // earlier test's server may still be ending its thread: wait for that, not for a time.
        SupervisorTest.await("one IPC thread", () -> ipcThreads().size() == 1, Duration.ofSeconds(10));
        assertEquals(List.of("ipc"), ipcThreads());
    }

    private static List<String> ipcThreads() {
        return Thread.getAllStackTraces().keySet().stream().map(Thread::getName)
                .filter(name -> name.startsWith("ipc")).toList();
    }

    @Test
    void aReloadStopsAndTheOldInstanceKeepsServingWhenTheNewOneNeverSaysReady() throws Exception {
        Pool pool = supervisor.add(TestApps.pm2App("web", 1, Map.of(), WAIT_READY));
        pool.start().get(20, TimeUnit.SECONDS);
        InstanceView old = pool.view().routable().get(0);
        pool.reconfigure(TestApps.pm2App("web", 1, Map.of("READY", "never"), WAIT_READY)).get();

        var failure = assertThrows(Exception.class, () -> pool.reload(1, line -> { }).get(30, TimeUnit.SECONDS));

        assertTrue(failure.getMessage().contains("was not ready within listen_timeout"), failure.getMessage());
        assertEquals(List.of(old.pid()), pool.view().routable().stream().map(InstanceView::pid).toList());
        assertEquals(200, SupervisorTest.get(old.port(), "/").statusCode());
    }

    @Test
    void shutdownWithMessageStopsAnInstanceWithTheMessageInsteadOfSigint() throws Exception {
        Pool pool = supervisor.add(TestApps.pm2App("web", 1, Map.of(), new Lifecycle(true, true)));
        pool.start().get(20, TimeUnit.SECONDS);

        pool.stop().get(20, TimeUnit.SECONDS);

        String out = out(pool.config(), 0);
        assertTrue(out.contains("message \"shutdown\"") && out.contains("shutdown message"), out);
        assertFalse(out.contains("SIGINT"), out);
    }

    @Test
    void withoutShutdownWithMessageAnInstanceGetsSigint() throws Exception {
        Pool pool = supervisor.add(TestApps.pm2App("web", 1, Map.of(), WAIT_READY));
        pool.start().get(20, TimeUnit.SECONDS);

        pool.stop().get(20, TimeUnit.SECONDS);

        String out = out(pool.config(), 0);
        assertTrue(out.contains("SIGINT"), out);
        assertFalse(out.contains("shutdown"), out);
    }

    @Test
    void everyNodeInstanceHasProcessSendAndItsChildrenDoNotInheritTheChannel() throws Exception {
        Pool pool = supervisor.add(TestApps.pm2App("web", 1, Map.of(), Lifecycle.DEFAULT));
        pool.start().get(20, TimeUnit.SECONDS);

        JsonNode ipc = JSON.readTree(SupervisorTest.get(pool.view().routable().get(0).port(), "/ipc").body());

        assertEquals("function", ipc.path("send").asText(), ipc.toString());
        assertTrue(ipc.path("connected").asBoolean(), ipc.toString());
        assertEquals(0, ipc.path("vars").size(), "the channel's variables are gone from the app's env: " + ipc);
        assertEquals(0, ipc.path("execArgv").size(), "the preload is gone from execArgv: " + ipc);
        assertEquals("undefined", ipc.path("child").path("send").asText(), ipc.toString());
        assertEquals(0, ipc.path("child").path("vars").size(), ipc.toString());
    }

    @Test
    void messagesOtherThanReadyAreLoggedWithTheInstanceTheyCameFrom() throws Exception {
        Pool pool = supervisor.add(TestApps.pm2App("web", 1, Map.of(), WAIT_READY));
        pool.start().get(20, TimeUnit.SECONDS);

        SupervisorTest.get(pool.view().routable().get(0).port(), "/send?m=hello");

        SupervisorTest.await("the message is logged", () -> ipcLog.stream().anyMatch(line -> line.startsWith("web[0]")
                && line.contains("{\"type\":\"process:msg\",\"data\":\"hello\"}")), Duration.ofSeconds(10));
    }

    @Test
    void anInstanceThatCrashesWhileHoldingTheChannelIsReplacedWithAWorkingOneAndItsLastMessageKept() throws Exception {
        Pool pool = supervisor.add(TestApps.pm2App("web", 1, Map.of(), WAIT_READY));
        pool.start().get(20, TimeUnit.SECONDS);
        InstanceView first = pool.view().routable().get(0);

        assertThrows(Exception.class, () -> SupervisorTest.get(first.port(), "/crash"));

        SupervisorTest.await("a new instance is ready", () -> pool.view().routable().stream()
                .anyMatch(i -> i.pid() != first.pid()), Duration.ofSeconds(20));
        SupervisorTest.await("its last message is logged", () -> ipcLog.stream()
                .anyMatch(line -> line.contains("{\"last\":\"words\"}")), Duration.ofSeconds(10));
        InstanceView second = pool.view().routable().get(0);
        JsonNode ipc = JSON.readTree(SupervisorTest.get(second.port(), "/ipc").body());
        assertEquals("function", ipc.path("send").asText(), ipc.toString());
    }

    private String out(AppConfig app, int index) {
        try {
            Path file = supervisor.logs().pathFor(app, index, LogFiles.Stream.OUT);
            return Files.exists(file) ? Files.readString(file) : "";
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
