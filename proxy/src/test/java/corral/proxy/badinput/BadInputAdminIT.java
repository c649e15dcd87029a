package corral.proxy.badinput;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import corral.fixtures.CorralHome;
import corral.fixtures.ProcessLeaks;
import corral.fixtures.RawHttp;
import corral.fixtures.StatusJson;
import corral.fixtures.TestHttp;
import corral.proxy.install.CorralInstall;
import corral.proxy.install.PackagedDaemon;
import java.io.IOException;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The admin API refuses every command without the token, with a wrong one, or with the token
 * anywhere but its header, and does nothing: afterwards the same daemon runs the same
 * instances, online. It cannot be reached from a non-loopback address of this machine at all.
 * A request with the token, the same otherwise, is accepted (so the refusals are about the
 * token, not about a malformed test request).
 */
@ExtendWith(PackagedDaemon.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BadInputAdminIT {

    @RegisterExtension
    static final CorralHome HOME = new CorralHome();

    /** Every command that changes something, with the parameters it needs. */
    static final List<String> COMMANDS = List.of("kill", "stop?app=h5", "restart?app=h5", "reload?app=h5",
            "delete?app=h5", "scale?app=h5&instances=3", "start?app=h5", "reload-conf", "offline", "reopen-logs");

    static CorralInstall corral;
    static long daemonPid;
    static Set<Long> pidsAtStart;

    @BeforeAll
    static void start() throws Exception {
        corral = new CorralInstall(HOME);
        corral.writeGoodConfig(1, 1, "");
        corral.ok("start");
        daemonPid = corral.daemonPid();
        pidsAtStart = StatusJson.allPids(corral.adminStatus());
    }

    @AfterAll
    static void kill() throws Exception {
        if (corral != null) {
            corral.kill();
        }
    }

    /** Ways of presenting no token, a wrong one, or the right one in the wrong place. */
    static List<Arguments> credentials() throws IOException {
        String token = corral.token();
        char last = token.charAt(token.length() - 1);
        String changed = token.substring(0, token.length() - 1) + (last == '0' ? '1' : '0');
        return List.of(
                Arguments.of("no token", "", ""),
                Arguments.of("an empty token", "X-Corral-Token: \r\n", ""),
                Arguments.of("another token", "X-Corral-Token: " + "0123456789abcdef".repeat(3) + "\r\n", ""),
                Arguments.of("the token with its last character changed", "X-Corral-Token: " + changed + "\r\n", ""),
                Arguments.of("the token and one character more", "X-Corral-Token: " + token + "0\r\n", ""),
                Arguments.of("the token less its last character",
                        "X-Corral-Token: " + token.substring(0, token.length() - 1) + "\r\n", ""),
                Arguments.of("the token in upper case", "X-Corral-Token: " + token.toUpperCase() + "\r\n", ""),
                Arguments.of("the token twice in one header", "X-Corral-Token: " + token + "," + token + "\r\n", ""),
                Arguments.of("the token as a bearer Authorization", "Authorization: Bearer " + token + "\r\n", ""),
                Arguments.of("the token under another header name", "X-Corral-Tokens: " + token + "\r\n", ""),
                Arguments.of("the token as a query parameter", "", "token=" + token));
    }

    static Stream<Arguments> wrongCredentialsForEveryCommand() throws IOException {
        List<Arguments> out = new ArrayList<>();
        for (Arguments credential : credentials()) {
            for (String command : COMMANDS) {
                Object[] c = credential.get();
                out.add(Arguments.of(c[0], command, c[1], c[2]));
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{1} with {0}")
    @MethodSource("wrongCredentialsForEveryCommand")
    @Order(1)
    void aCommandWithoutTheRightTokenIsRefused(String credential, String command, String header, String query)
            throws Exception {
        RawHttp.Response reply = admin("POST", command, header, query);

        assertEquals(401, reply.status(), command + " with " + credential + ": " + reply);
        assertTrue(reply.body().contains("missing or wrong admin token"), reply.toString());
    }

    @Test
    @Order(2)
    void statusAndPingWithoutTheTokenAreRefused() throws Exception {
        for (String command : List.of("status", "ping")) {
            RawHttp.Response reply = admin("GET", command, "", "");
            assertEquals(401, reply.status(), command + ": " + reply);
            assertTrue(!reply.body().contains("\"pid\""), command + " told a pid: " + reply);
        }
    }

    @Test
    @Order(3)
    void theAdminPortCannotBeReachedFromANonLoopbackAddress() throws Exception {
        Optional<InetAddress> external = nonLoopbackAddress();
        Assumptions.assumeTrue(external.isPresent(),
                "this machine has no non-loopback IPv4 address: nothing to connect from");
        InetAddress address = external.get();
        // The address works: the traffic listeners (bound to every address) answer on it.
        try (Socket traffic = new Socket()) {
            traffic.connect(new InetSocketAddress(address, corral.h5Port), 2000);
        }

        assertThrows(ConnectException.class, () -> {
            try (Socket admin = new Socket()) {
                admin.connect(new InetSocketAddress(address, corral.adminPort()), 2000);
            }
        }, "the admin API accepted a connection on " + address.getHostAddress());
    }

    @Test
    @Order(4)
    void nothingWasDone() throws Exception {
        assertTrue(ProcessLeaks.isRunning(daemonPid), "the daemon was killed");
        assertEquals(daemonPid, corral.daemonPid());
        JsonNode status = corral.adminStatus();
        assertEquals(pidsAtStart, StatusJson.allPids(status), "instances changed: " + status);
        assertEquals(1, StatusJson.readyPids(status, "h5").size(), status.toString());
        assertTrue(status.path("online").asBoolean(), "the machine went offline: " + status);
        assertEquals(200, TestHttp.get(URI.create("http://127.0.0.1:" + corral.h5Port + "/health")).statusCode());
        assertTrue(Files.readString(corral.logDir().resolve("corral.log")).lines()
                .noneMatch(l -> l.contains("corral.admin") && l.contains("failed")), "a refused command ran");
    }

    @Test
    @Order(5)
    void theSameRequestWithTheTokenIsAccepted() throws Exception {
        RawHttp.Response ping = admin("GET", "ping", "X-Corral-Token: " + corral.token() + "\r\n", "");
        assertEquals(200, ping.status(), ping.toString());
        RawHttp.Response reopen = admin("POST", "reopen-logs", "X-Corral-Token: " + corral.token() + "\r\n", "");
        assertEquals(200, reopen.status(), reopen.toString());
    }

    /** One admin request over a raw socket: the header lines and query are sent exactly as given. */
    private static RawHttp.Response admin(String method, String command, String header, String query) throws IOException {
        String target = "/v1/" + command + (query.isEmpty() ? "" : (command.contains("?") ? "&" : "?") + query);
        String request = method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + header
                + "Content-Length: 0\r\nConnection: close\r\n\r\n";
        return RawHttp.exchange(corral.adminPort(), request.getBytes(StandardCharsets.ISO_8859_1), Duration.ofSeconds(10));
    }

    /** An IPv4 address of this machine that is not a loopback one ({@code ip -4 addr}), if any. */
    private static Optional<InetAddress> nonLoopbackAddress() throws SocketException {
        for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (!nic.isUp() || nic.isLoopback()) {
                continue;
            }
            for (InetAddress a : Collections.list(nic.getInetAddresses())) {
                if (a instanceof Inet4Address && !a.isLoopbackAddress()) {
                    return Optional.of(a);
                }
            }
        }
        return Optional.empty();
    }
}
