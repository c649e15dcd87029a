package corral.proxy.listen;

import com.codahale.metrics.Meter;
import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.Timer;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;

/**
 * Per-listener figures: {@code corral.listener.<port>.requests} (a timer: count, rate, latency
 * from first byte read to last byte written) and {@code corral.listener.<port>.responses.<N>xx}.
 * Names are bounded: one set per configured port.
 */
final class ListenerMetrics implements HttpHandler {

    private final Timer requests;
    private final Meter[] byClass = new Meter[6];
    private final HttpHandler next;

    ListenerMetrics(MetricRegistry registry, int port, HttpHandler next) {
        String base = "corral.listener." + port;
        this.requests = registry.timer(base + ".requests");
        for (int c = 1; c <= 5; c++) {
            byClass[c] = registry.meter(base + ".responses." + c + "xx");
        }
        this.next = next;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        Timer.Context timing = requests.time();
        exchange.addExchangeCompleteListener((ex, proceed) -> {
            timing.stop();
            int c = ex.getStatusCode() / 100;
            if (c >= 1 && c <= 5) {
                byClass[c].mark();
            }
            proceed.proceed();
        });
        next.handleRequest(exchange);
    }
}
