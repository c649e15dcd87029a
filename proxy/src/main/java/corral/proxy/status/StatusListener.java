package corral.proxy.status;

import corral.proxy.admin.AdminJson;
import corral.workers.proc.PortHolder;
import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.ExpositionFormats;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.undertow.Undertow;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.Methods;
import io.undertow.util.StatusCodes;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import org.xnio.XnioWorker;

/**
 * The read-only listener: {@code GET /metrics} (Prometheus text, or OpenMetrics when the
 * scraper's {@code Accept} asks for it), {@code GET /} the status page, {@code GET /status.json}
 * what the page polls. No token, as exporters go; only GET and HEAD, so nothing here can change
 * the daemon. Scrapes run on the worker's task threads: reading {@code /proc} must not hold an IO
 * thread that traffic needs.
 */
public final class StatusListener implements AutoCloseable {

    private static final String PAGE = "status.html";

    private final Undertow server;

    private StatusListener(Undertow server) {
        this.server = server;
    }

    /**
     * Opens the listener at {@code address} on {@code worker} (the traffic listeners' one).
     *
     * @throws IOException naming the holder when the port is taken
     */
    public static StatusListener open(XnioWorker worker, StatusAddress address, PrometheusRegistry registry, Fleet fleet)
            throws IOException {
        Undertow server = Undertow.builder()
                .setWorker(worker)
                .addHttpListener(address.port(), address.host())
                .setHandler(new Routes(registry, fleet, page()))
                .build();
        try {
            server.start();
        } catch (RuntimeException e) {
            server.stop();
            throw new IOException("status listener " + address + ": " + PortHolder.describe(address.port()), e);
        }
        return new StatusListener(server);
    }

    private static byte[] page() {
        try (InputStream in = StatusListener.class.getResourceAsStream(PAGE)) {
            if (in == null) {
                throw new IllegalStateException(PAGE + " is missing from the jar");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        server.stop();
    }

    /** GET and HEAD of the three paths; 405 for any other method, 404 for any other path. */
    private record Routes(PrometheusRegistry registry, Fleet fleet, byte[] page) implements HttpHandler {
        private static final ExpositionFormats FORMATS = ExpositionFormats.init();

        @Override
        public void handleRequest(HttpServerExchange exchange) throws Exception {
            if (!exchange.getRequestMethod().equals(Methods.GET) && !exchange.getRequestMethod().equals(Methods.HEAD)) {
                exchange.getResponseHeaders().put(Headers.ALLOW, "GET, HEAD");
                send(exchange, StatusCodes.METHOD_NOT_ALLOWED, "text/plain; charset=utf-8",
                        "405 Method Not Allowed: the status listener is read-only\n".getBytes());
                return;
            }
            switch (exchange.getRequestPath()) {
                case "/", "/index.html" -> send(exchange, 200, "text/html; charset=utf-8", page);
                case "/metrics" -> onWorker(exchange, () -> metrics(exchange));
                case "/status.json" -> onWorker(exchange, () -> send(exchange, 200, "application/json",
                        AdminJson.MAPPER.writeValueAsBytes(fleet.status())));
                default -> send(exchange, StatusCodes.NOT_FOUND, "text/plain; charset=utf-8",
                        "404 Not Found: this listener serves /, /metrics and /status.json\n".getBytes());
            }
        }

        private void metrics(HttpServerExchange exchange) throws IOException {
            ExpositionFormatWriter writer = FORMATS.findWriter(exchange.getRequestHeaders().getFirst(Headers.ACCEPT));
            if (!writer.isAvailable()) {
                // Protobuf is not on the class path (the text-format artifacts only); every scraper reads text.
                writer = FORMATS.getPrometheusTextFormatWriter();
            }
            ByteArrayOutputStream body = new ByteArrayOutputStream(16384);
            writer.write(body, registry.scrape());
            send(exchange, 200, writer.getContentType(), body.toByteArray());
        }

        private static void onWorker(HttpServerExchange exchange, Action action) {
            exchange.dispatch(() -> {
                try {
                    action.run();
                } catch (IOException | RuntimeException e) {
                    send(exchange, StatusCodes.INTERNAL_SERVER_ERROR, "text/plain; charset=utf-8",
                            ("500 Internal Server Error: " + e + "\n").getBytes());
                }
            });
        }

        private static void send(HttpServerExchange exchange, int status, String type, byte[] body) {
            exchange.setStatusCode(status);
            exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, type);
            exchange.getResponseHeaders().put(Headers.CACHE_CONTROL, "no-store");
            exchange.getResponseSender().send(ByteBuffer.wrap(body));
        }
    }

    @FunctionalInterface
    private interface Action {
        void run() throws IOException;
    }
}
