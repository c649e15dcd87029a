package corral.proxy.forward;

import static org.junit.jupiter.api.Assertions.assertEquals;

import corral.fixtures.RawHttp;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An upgrade the instance refuses with a 426 and the protocol it wants (an {@code Upgrade}
 * header): the client gets the 426, and the instance's connection is closed after it. Undertow's
 * client still counts such a connection as upgraded, and its pool lets go of it without closing
 * it: the instance's socket stayed open for the daemon's life.
 */
class ForwardRefusedUpgradeTest {
    /** Whether the proxy closed the instance's connection after the answer (true), or kept it open (false). */
    final CompletableFuture<Boolean> closedByProxy = new CompletableFuture<>();
    RawUpstream instance;
    ProxyFixture proxy;

    @BeforeEach
    void start() throws IOException {
        instance = new RawUpstream("refuses-upgrade", socket -> {
            InputStream in = socket.getInputStream();
            RawUpstream.readHead(in);
            socket.getOutputStream().write(("HTTP/1.1 426 Upgrade Required\r\nUpgrade: HTTP/3.0\r\n"
                    + "Connection: Upgrade\r\nContent-Length: 7\r\n\r\nrefused").getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            socket.setSoTimeout(10_000);
            try {
                closedByProxy.complete(in.read() < 0);
            } catch (SocketTimeoutException e) {
                closedByProxy.complete(false);
            }
        });
        proxy = ProxyFixture.overOne(instance.port());
    }

    @AfterEach
    void stop() throws IOException {
        proxy.close();
        instance.close();
    }

    @Test
    void aRefusedUpgradeIsAnsweredAndItsConnectionToTheInstanceClosed() throws Exception {
        RawHttp.Response answer = RawHttp.send(proxy.port, "GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Connection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n");

        assertEquals(426, answer.status(), answer.toString());
        assertEquals("refused", answer.body());
        assertEquals(true, closedByProxy.get(20, TimeUnit.SECONDS), "the instance's connection was left open");
    }
}
