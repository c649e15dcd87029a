package corral.proxy.forward;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static corral.proxy.forward.ProxyFixture.ready;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.github.tomakehurst.wiremock.WireMockServer;
import corral.fixtures.FreePorts;
import corral.fixtures.RawHttp;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An instance that answers before the request body has come whole (as an app refusing an upload
 * does). The body streams (Undertow does not buffer it; nginx with {@code
 * proxy_request_buffering off}), so it cannot be sent to another instance: even an answer that
 * {@code proxy_next_upstream http_503} lists passes to the client, as nginx passes it once it
 * has begun sending an unbuffered body. Instance 0 answers early; instance 1 (WireMock) would
 * answer 200.
 */
class ForwardEarlyAnswerTest {
    static final String PUT_HEAD = "PUT /upload HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 9\r\n\r\n";

    /** Requests instance 0 was sent. */
    final AtomicInteger firstAsked = new AtomicInteger();
    RawUpstream first;
    WireMockServer second;
    ProxyFixture proxy;

    @BeforeEach
    void start() throws IOException {
        // 503, and that it closes the connection, as soon as a request head is read; then it reads
        // whatever body follows until the proxy closes the connection
        first = new RawUpstream("early-answer", socket -> {
            try (socket) {
                InputStream in = socket.getInputStream();
                RawUpstream.readHead(in);
                firstAsked.incrementAndGet();
                socket.getOutputStream().write(("HTTP/1.1 503 Service Unavailable\r\nContent-Length: 4\r\n"
                        + "Connection: close\r\n\r\nbusy").getBytes(StandardCharsets.ISO_8859_1));
                socket.getOutputStream().flush();
                while (in.read() >= 0) {
                    // the body: read until the proxy closes
                }
            }
        });
        second = new WireMockServer(options().bindAddress("127.0.0.1").port(FreePorts.pick()));
        second.start();
        second.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200).withBody("second")));
        proxy = new ProxyFixture(UpstreamSettings.DEFAULTS, new LowestIndexFirst());
        proxy.publish(ready(0, 1, first.port()), ready(1, 2, second.port()));
        proxy.route = exchange -> new ForwardTarget(ProxyFixture.APP, ProxyFixture.receivedUri(exchange), List.of(),
                null, true, NextUpstream.parse(List.of("error", "timeout", "http_503")));
    }

    @AfterEach
    void stop() throws IOException {
        proxy.close();
        second.stop();
        first.close();
    }

    @Test
    void anAnswerToAStreamingBodyPassesEvenWhenNextUpstreamListsIt() throws Exception {
        try (Socket client = RawHttp.connect(proxy.port, Duration.ofSeconds(10))) {
            write(client, PUT_HEAD + "held-");
            RawHttp.Response answer = RawHttp.read(client.getInputStream());

            assertEquals(503, answer.status(), answer.toString());
            assertEquals("busy", answer.body());
            assertEquals(0, second.getAllServeEvents().size(), "a half-sent body was sent again");
            assertEquals(1, firstAsked.get());
            write(client, "back"); // the rest of the body, after the answer: nothing breaks
        }
        // The proxy answers on, and a request without a body is retried as configured.
        RawHttp.Response get = RawHttp.send(proxy.port, "GET /x HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
        assertEquals(200, get.status(), get.toString());
        assertEquals("second", get.body());
        assertEquals(2, firstAsked.get());
    }

    private static void write(Socket socket, String text) throws IOException {
        socket.getOutputStream().write(text.getBytes(StandardCharsets.ISO_8859_1));
        socket.getOutputStream().flush();
    }
}
