package corral.proxy.forward;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import corral.fixtures.RawHttp;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A 204 or 304 whose header declares a body length has no body (RFC 9110), and nginx reads none
 * after it. An instance answers every request with such a header and keeps the connection open:
 * the client gets the answer at once, twice in a row (after a GET, the second comes on another
 * connection to the instance: the first cannot serve again once Undertow's client waits on it).
 */
class ForwardBodilessAnswersTest {
    /** What the instance answers every request head with, and nothing after it. */
    volatile String head;
    RawUpstream instance;
    ProxyFixture proxy;

    @BeforeEach
    void start() throws IOException {
        instance = new RawUpstream("header-only", socket -> {
            while (true) { // until the proxy closes the connection: readHead throws
                RawUpstream.readHead(socket.getInputStream());
                socket.getOutputStream().write(head.getBytes(StandardCharsets.ISO_8859_1));
                socket.getOutputStream().flush();
            }
        });
        proxy = ProxyFixture.overOne(instance.port());
    }

    @AfterEach
    void stop() throws IOException {
        proxy.close();
        instance.close();
    }

    @ParameterizedTest
    @ValueSource(ints = {204, 304})
    void anAnswerWithoutABodyEndsAtItsHeaderWhateverItsLengthSays(int status) throws Exception {
        head = "HTTP/1.1 " + status + " X\r\nETag: \"v1\"\r\nContent-Length: 120\r\n\r\n";
        for (int i = 0; i < 2; i++) {
            RawHttp.Response answer = RawHttp.send(proxy.port, "GET /page HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");

            assertEquals(status, answer.status(), "request " + i + ": " + answer);
            assertEquals("\"v1\"", answer.header("ETag").orElseThrow());
            assertEquals("", answer.body());
            // nginx 1.22 passes the instance's Content-Length; Undertow's server sends none on a
            // 204 or 304 (docs/http-strictness.md)
            assertFalse(answer.has("Content-Length"), answer.toString());
        }
        assertEquals(2, instance.accepted.size());
    }

    /** After a HEAD Undertow's client reads no body anyway: the connection serves the next request. */
    @ParameterizedTest
    @ValueSource(ints = {204, 304})
    void aHeadsAnswerWithALengthKeepsItsConnection(int status) throws Exception {
        head = "HTTP/1.1 " + status + " X\r\nETag: \"v1\"\r\nContent-Length: 120\r\n\r\n";
        // one client connection, so one I/O thread and its pool of connections to the instance
        try (Socket client = RawHttp.connect(proxy.port, Duration.ofSeconds(10))) {
            for (int i = 0; i < 2; i++) {
                client.getOutputStream().write("HEAD /page HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
                        .getBytes(StandardCharsets.ISO_8859_1));
                RawHttp.Response answer = RawHttp.read(client.getInputStream());

                assertEquals(status, answer.status(), "request " + i + ": " + answer);
                assertEquals("\"v1\"", answer.header("ETag").orElseThrow());
            }
        }
        assertEquals(1, instance.accepted.size());
    }
}
