package corral.proxy.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import corral.proxy.listen.ClientLimits;
import corral.proxy.status.StatusAddress;
import corral.workers.config.AppSelection;
import corral.workers.home.HomeLayout;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code corral.properties}: the daemon's own settings, beside the ecosystem file. */
class DaemonSettingsTest {

    @TempDir
    Path dir;

    DaemonSettings load(String properties) throws IOException, InvalidConfigException {
        if (properties != null) {
            Files.writeString(dir.resolve("corral.properties"), properties);
        }
        return DaemonSettings.load(new HomeLayout(dir.resolve("home")), dir.resolve("pm2.json"), dir.resolve("vhost"),
                Optional.empty(), AppSelection.ALL);
    }

    List<String> errors(String properties) {
        return assertThrows(InvalidConfigException.class, () -> load(properties)).problems();
    }

    String at(int line) {
        return dir.resolve("corral.properties") + ":" + line + ": ";
    }

    @Test
    void withoutTheFileEverySettingHasItsDefault() throws Exception {
        DaemonSettings s = load(null);

        assertEquals("0.0.0.0", s.bindAddress());
        assertEquals("/health", s.healthPath());
        assertEquals(Duration.ofMillis(4000), s.idleUpstreamTimeout());
        assertEquals(ClientLimits.DEFAULTS, s.client());
        assertEquals(new ClientLimits(Duration.ofSeconds(60), Duration.ofSeconds(75), 16384, 1L << 30, 0), s.client(),
                "nginx's client_header_timeout and keepalive_timeout, node's header limit");
        assertEquals(Optional.of(new StatusAddress("127.0.0.1", 8199)), s.statusListen());
        assertEquals(Math.max(2, Runtime.getRuntime().availableProcessors()), s.ioThreadCount(),
                "nginx's worker_processes auto: one per core, at least 2");
    }

    @Test
    void ioThreadsAreACountOrAuto() throws Exception {
        assertEquals(1, load("io.threads = 1\n").ioThreadCount());
        DaemonSettings auto = load("io.threads = auto\n");
        assertEquals(0, auto.ioThreads(), "auto is not a fixed count");
        assertEquals(Math.max(2, Runtime.getRuntime().availableProcessors()), auto.ioThreadCount());
        assertEquals(List.of(at(1) + "io.threads: '0' is not a number of threads from 1 to 256, or auto"),
                errors("io.threads = 0\n"));
        assertEquals(List.of(at(1) + "io.threads: 'two' is not a number of threads from 1 to 256, or auto"),
                errors("io.threads = two\n"));
    }

    @Test
    void drainDelayIsOffByDefaultAndTakesMillisecondsUpToAnHour() throws Exception {
        assertEquals(Duration.ZERO, load(null).drainDelay());
        assertEquals(Duration.ofSeconds(6), load("drain.delay.ms = 6000\n").drainDelay());
        assertEquals(List.of(at(1) + "drain.delay.ms: '-1' is not a number of milliseconds from 0 to 3600000"),
                errors("drain.delay.ms = -1\n"));
        assertEquals(List.of(at(1) + "drain.delay.ms: '6s' is not a number of milliseconds from 0 to 3600000"),
                errors("drain.delay.ms = 6s\n"));
    }

    @Test
    void theShippedFileSaysTheDefaults() throws Exception {
        Path shipped = Path.of(System.getProperty("user.dir")).resolveSibling("conf").resolve("corral.properties");

        DaemonSettings s = load(Files.readString(shipped));

        assertEquals(load(null).client(), s.client());
        assertEquals(load(null).idleUpstreamTimeout(), s.idleUpstreamTimeout());
        assertEquals(load(null).healthPath(), s.healthPath());
        assertEquals(load(null).bindAddress(), s.bindAddress());
        assertEquals(load(null).drainDelay(), s.drainDelay());
        assertEquals(load(null).statusListen(), s.statusListen());
    }

    @Test
    void theStatusListenerTakesAnyAddressOrOff() throws Exception {
        assertEquals(Optional.of(new StatusAddress("0.0.0.0", 9100)), load("status.listen = 0.0.0.0:9100\n").statusListen());
        assertEquals(Optional.of(new StatusAddress("::1", 8199)), load("status.listen = [::1]:8199\n").statusListen());
        assertEquals("http://[::1]:8199/", load("status.listen = [::1]:8199\n").statusListen().orElseThrow().url());
        assertEquals("http://127.0.0.1:9100/", load("status.listen = 0.0.0.0:9100\n").statusListen().orElseThrow().url(),
                "a wildcard bind is reached on loopback from this host");
        assertEquals(Optional.empty(), load("status.listen = off\n").statusListen());
        assertEquals(List.of(
                at(1) + "status.listen: '8199' is not host:port or off (e.g. 127.0.0.1:8199, 0.0.0.0:8199, [::1]:8199)",
                at(2) + "status.listen: set again (first on line 1)"),
                errors("status.listen = 8199\nstatus.listen = localhost:99999\n"));
        assertEquals(List.of(at(1) + "status.listen: 'localhost:99999' has a port out of 1..65535",
                at(2) + "status.listen: set again (first on line 1)"),
                errors("status.listen = localhost:99999\nstatus.listen = ::1:80\n"));
        assertEquals(List.of(at(1) + "status.listen: '::1:80' is not host:port or off (e.g. 127.0.0.1:8199, "
                + "0.0.0.0:8199, [::1]:8199)"), errors("status.listen = ::1:80\n"));
    }

    @Test
    void everySettingIsRead() throws Exception {
        DaemonSettings s = load("""
                # comment
                bind = 127.0.0.1
                health.path = /ping   # trailing comment
                upstream.idle.ms = 3000
                client.header.timeout.ms = 2000
                client.idle.timeout.ms=4000
                client.max.header.bytes = 8192
                client.max.body.bytes = 10485760
                client.max.connections = 300
                """);

        assertEquals("127.0.0.1", s.bindAddress());
        assertEquals("/ping", s.healthPath());
        assertEquals(Duration.ofMillis(3000), s.idleUpstreamTimeout());
        assertEquals(new ClientLimits(Duration.ofSeconds(2), Duration.ofSeconds(4), 8192, 10L << 20, 300), s.client());
    }

    @Test
    void everyBadLineIsAnErrorNamingFileLineAndSettingInLineOrder() {
        assertEquals(List.of(
                at(1) + "client.max.body.bytes: '-1' is not a number of bytes from 1 to 9223372036854775807",
                at(2) + "expected 'key = value', got 'bind 0.0.0.0'",
                at(3) + "unknown setting 'client_max_body_size' (known: bind, client.header.timeout.ms, "
                        + "client.idle.timeout.ms, client.max.body.bytes, client.max.connections, client.max.header.bytes, drain.delay.ms, health.path, "
                        + "io.threads, status.listen, upstream.idle.ms)",
                at(4) + "health.path: 'health' must start with /",
                at(5) + "upstream.idle.ms: '50' is not a number of milliseconds from 100 to 2147483647 (keep it "
                        + "below the apps' keep-alive timeout, 5000 for Node)",
                at(6) + "client.header.timeout.ms: '2s' is not a number of milliseconds from 1 to 2147483647",
                at(7) + "client.idle.timeout.ms: '3000000000' is not a number of milliseconds from 1 to 2147483647",
                at(8) + "client.max.header.bytes: '512' is not a number of bytes from 1024 to 2147483647",
                at(9) + "bind: '' is empty: give an address, e.g. 0.0.0.0 or 127.0.0.1",
                at(10) + "health.path: set again (first on line 4)"),
                errors("""
                        client.max.body.bytes = -1
                        bind 0.0.0.0
                        client_max_body_size = 10m
                        health.path = health
                        upstream.idle.ms = 50
                        client.header.timeout.ms = 2s
                        client.idle.timeout.ms = 3000000000
                        client.max.header.bytes = 512
                        bind =
                        health.path = /ping
                        """));
    }

    @Test
    void aHashStartsACommentOnlyAtTheStartOfALineOrAfterABlank() throws Exception {
        assertEquals("/status#page", load("health.path = /status#page   # the VIP's probe\n").healthPath());
    }
}
