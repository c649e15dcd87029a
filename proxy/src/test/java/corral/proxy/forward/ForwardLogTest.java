package corral.proxy.forward;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static corral.proxy.forward.ProxyFixture.ready;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.http.Fault;
import corral.fixtures.FreePorts;
import io.undertow.server.HttpServerExchange;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the forwarder leaves in the daemon's log, nginx being the reference: an instance's answer
 * that {@code proxy_next_upstream} retries or an {@code error_page} intercepts is no failure and
 * logs nothing; a real upstream failure logs one error line. Undertow's records reach JUL (the
 * daemon's corral.log is JUL's root handler, see DaemonLogs), so the test listens there.
 * Instance 0 is tried first ({@link LowestIndexFirst}); instance 1 answers 200.
 */
class ForwardLogTest {
    static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    /** Undertow's proxy logger, whose UT005028 line is ProxyHandler's "Proxy request to ... failed". */
    static final Logger PROXY_LOG = Logger.getLogger("io.undertow.proxy");

    final List<String> proxyErrors = new CopyOnWriteArrayList<>();
    final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord record) {
            if (record.getMessage() != null && record.getMessage().contains("UT005028")) {
                proxyErrors.add(record.getMessage());
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };
    WireMockServer first;
    WireMockServer second;
    ProxyFixture proxy;

    @BeforeEach
    void start() {
        first = new WireMockServer(options().bindAddress("127.0.0.1").port(FreePorts.pick()));
        second = new WireMockServer(options().bindAddress("127.0.0.1").port(FreePorts.pick()));
        first.start();
        second.start();
        second.stubFor(any(anyUrl()).willReturn(aResponse().withStatus(200).withBody("second")));
        proxy = new ProxyFixture(UpstreamSettings.DEFAULTS, new LowestIndexFirst());
        proxy.publish(ready(0, 1, first.port()), ready(1, 2, second.port()));
        PROXY_LOG.addHandler(capture);
    }

    @AfterEach
    void stop() {
        PROXY_LOG.removeHandler(capture);
        proxy.close();
        first.stop();
        second.stop();
    }

    @Test
    void anAnswerRetriedByNextUpstreamLogsNothing() throws Exception {
        firstAnswers(aResponse().withStatus(503).withBody("busy"));
        route(NextUpstream.parse(List.of("error", "timeout", "http_503")));

        HttpResponse<String> response = get();

        assertEquals(200, response.statusCode());
        assertEquals("second", response.body());
        assertEquals(List.of(), proxyErrors);
    }

    @Test
    void anAnswerInterceptedByAnErrorPageLogsNothing() throws Exception {
        firstAnswers(aResponse().withStatus(500).withBody("broken"));
        route(NextUpstream.DEFAULT);
        proxy.route = withErrorPage(proxy.route);

        HttpResponse<String> response = get();

        assertEquals(500, response.statusCode());
        assertEquals("error page 500", response.body());
        assertEquals(List.of(), proxyErrors);
    }

    @Test
    void aResetByTheInstanceIsLoggedOnce() throws Exception {
        firstAnswers(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER));
        route(NextUpstream.DEFAULT);

        HttpResponse<String> response = get();

        // retried on instance 1 (a GET, proxy_next_upstream error), and still an error line, as nginx's
        // "recv() failed (104: Connection reset by peer) while reading response header from upstream"
        assertEquals(200, response.statusCode());
        assertEquals(1, proxyErrors.size(), proxyErrors.toString());
    }

    private void firstAnswers(ResponseDefinitionBuilder answer) {
        first.stubFor(any(anyUrl()).willReturn(answer));
    }

    private void route(NextUpstream next) {
        proxy.route = exchange -> new ForwardTarget(ProxyFixture.APP, ProxyFixture.receivedUri(exchange), List.of(),
                null, true, next);
    }

    /** The route, with an error page for 500 (proxy_intercept_errors on; error_page 500) that answers its status. */
    private static Function<HttpServerExchange, ForwardTarget> withErrorPage(
            Function<HttpServerExchange, ForwardTarget> route) {
        ErrorPageHook page = new ErrorPageHook() {
            @Override
            public boolean intercepts(int status) {
                return status == 500;
            }

            @Override
            public boolean answer(HttpServerExchange exchange, int status, boolean fromInstance) {
                exchange.setStatusCode(status);
                exchange.getResponseSender().send("error page " + status);
                return true;
            }
        };
        return exchange -> {
            exchange.putAttachment(ErrorPageHook.KEY, page);
            return route.apply(exchange);
        };
    }

    private HttpResponse<String> get() throws Exception {
        return HTTP.send(HttpRequest.newBuilder(proxy.uri("/log")).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
