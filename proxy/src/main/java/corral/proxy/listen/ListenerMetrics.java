package corral.proxy.listen;

import com.codahale.metrics.Meter;
import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.Timer;
import corral.proxy.forward.ForwardTarget;
import corral.proxy.status.HttpRequests;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;

/**
 * Per-listener figures: {@code corral.listener.<port>.requests} (a timer: count, rate, latency
 * from first byte read to last byte written) and {@code corral.listener.<port>.responses.<N>xx}.
 * Names are bounded: one set per configured port. Each request is also counted for Prometheus
 * by the pool it went to ({@link HttpRequests}).
 */
final class ListenerMetrics implements HttpHandler {

    private final Timer requests;
    private final Meter[] byClass = new Meter[6];
    private final HttpRequests.Listener byApp;
    private final HttpHandler next;

    ListenerMetrics(MetricRegistry registry, HttpRequests.Listener byApp, int port, HttpHandler next) {
        String base = "corral.listener." + port;
        this.requests = registry.timer(base + ".requests");
        for (int c = 1; c <= 5; c++) {
            byClass[c] = registry.meter(base + ".responses." + c + "xx");
        }
        this.byApp = byApp;
        this.next = next;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        Timer.Context timing = requests.time();
        exchange.addExchangeCompleteListener((ex, proceed) -> {
            long nanos = timing.stop();
            ForwardTarget target = ex.getAttachment(ForwardTarget.KEY);
            byApp.record(target == null ? null : target.app(), ex.getStatusCode(), nanos);
            int c = ex.getStatusCode() / 100;
            if (c >= 1 && c <= 5) {
                byClass[c].mark();
            }
            proceed.proceed();
        });
        next.handleRequest(exchange);
    }
}
