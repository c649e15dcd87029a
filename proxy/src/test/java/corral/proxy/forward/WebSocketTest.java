package corral.proxy.forward;

import static corral.proxy.forward.ProxyFixture.ready;
import static org.junit.jupiter.api.Assertions.assertEquals;

import corral.fixtures.FreePorts;
import corral.proxy.balance.LeastInFlight;
import io.undertow.Handlers;
import io.undertow.Undertow;
import io.undertow.websockets.core.AbstractReceiveListener;
import io.undertow.websockets.core.BufferedTextMessage;
import io.undertow.websockets.core.WebSocketChannel;
import io.undertow.websockets.core.WebSockets;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A WebSocket upgrade passes through the proxy (the upstream is an Undertow echo server). */
class WebSocketTest {

    @Test
    void aWebSocketUpgradePassesAndFramesFlowBothWays() throws Exception {
        int upstreamPort = FreePorts.pick();
        Undertow upstream = Undertow.builder().addHttpListener(upstreamPort, "127.0.0.1")
                .setHandler(Handlers.websocket((exchange, channel) -> {
                    channel.getReceiveSetter().set(new AbstractReceiveListener() {
                        @Override
                        protected void onFullTextMessage(WebSocketChannel ch, BufferedTextMessage message) {
                            WebSockets.sendText("echo: " + message.getData(), ch, null);
                        }
                    });
                    channel.resumeReceives();
                }))
                .build();
        upstream.start();
        try (ProxyFixture proxy = new ProxyFixture(UpstreamSettings.DEFAULTS, new LeastInFlight())) {
            proxy.publish(ready(0, 1, upstreamPort));
            BlockingQueue<String> received = new LinkedBlockingQueue<>();
            WebSocket socket = HttpClient.newHttpClient().newWebSocketBuilder()
                    .buildAsync(URI.create("ws://127.0.0.1:" + proxy.port + "/ws"), new WebSocket.Listener() {
                        @Override
                        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                            received.add(data.toString());
                            webSocket.request(1);
                            return null;
                        }
                    })
                    .get(5, TimeUnit.SECONDS);

            socket.sendText("hello", true).get(5, TimeUnit.SECONDS);
            assertEquals("echo: hello", received.poll(5, TimeUnit.SECONDS));
            socket.sendText("again", true).get(5, TimeUnit.SECONDS);
            assertEquals("echo: again", received.poll(5, TimeUnit.SECONDS));
            // The upgraded connection is a tunnel, not a request in flight: it does not hold up a drain.
            assertEquals(0, proxy.table.inFlight(ProxyFixture.APP));
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "done").get(5, TimeUnit.SECONDS);
        } finally {
            upstream.stop();
        }
    }
}
