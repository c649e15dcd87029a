package corral.proxy.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import corral.proxy.listen.ClientLimits;
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
                Optional.empty());
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
        assertEquals(new ClientLimits(Duration.ofSeconds(60), Duration.ofSeconds(75), 16384, 1L << 30), s.client(),
                "nginx's client_header_timeout and keepalive_timeout, node's header limit");
    }

    @Test
    void theShippedFileSaysTheDefaults() throws Exception {
        Path shipped = Path.of(System.getProperty("user.dir")).resolveSibling("conf").resolve("corral.properties");

        DaemonSettings s = load(Files.readString(shipped));

        assertEquals(load(null).client(), s.client());
        assertEquals(load(null).idleUpstreamTimeout(), s.idleUpstreamTimeout());
        assertEquals(load(null).healthPath(), s.healthPath());
        assertEquals(load(null).bindAddress(), s.bindAddress());
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
                """);

        assertEquals("127.0.0.1", s.bindAddress());
        assertEquals("/ping", s.healthPath());
        assertEquals(Duration.ofMillis(3000), s.idleUpstreamTimeout());
        assertEquals(new ClientLimits(Duration.ofSeconds(2), Duration.ofSeconds(4), 8192, 10L << 20), s.client());
    }

    @Test
    void everyBadLineIsAnErrorNamingFileLineAndSetting() {
        assertEquals(List.of(
                at(1) + "expected 'key = value', got 'bind 0.0.0.0'",
                at(2) + "unknown setting 'client_max_body_size' (known: bind, client.header.timeout.ms, "
                        + "client.idle.timeout.ms, client.max.body.bytes, client.max.header.bytes, health.path, "
                        + "upstream.idle.ms)",
                at(3) + "health.path: 'health' must start with /",
                at(4) + "upstream.idle.ms: '50' is not a number of milliseconds >= 100 (keep it below the apps' "
                        + "keep-alive timeout, 5000 for Node)",
                at(5) + "client.header.timeout.ms: '2s' is not a number of milliseconds >= 1",
                at(6) + "client.idle.timeout.ms: '0' is not a number of milliseconds >= 1",
                at(7) + "client.max.header.bytes: '99999999999' is not a number of bytes >= 1024",
                at(8) + "client.max.body.bytes: '-1' is not a number of bytes >= 1"),
                errors("""
                        bind 0.0.0.0
                        client_max_body_size = 10m
                        health.path = health
                        upstream.idle.ms = 50
                        client.header.timeout.ms = 2s
                        client.idle.timeout.ms = 0
                        client.max.header.bytes = 99999999999
                        client.max.body.bytes = -1
                        """));
    }
}
