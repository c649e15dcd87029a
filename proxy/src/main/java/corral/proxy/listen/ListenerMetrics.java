package corral.proxy.listen;

import com.codahale.metrics.Meter;
import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.Timer;
import corral.proxy.forward.ForwardTarget;
import corral.proxy.metrics.RecorderReservoir;
import corral.proxy.status.HttpRequests;
import io.undertow.server.ExchangeCompletionListener;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import java.util.concurrent.TimeUnit;

/**
 * Per-listener figures: {@code corral.listener.<port>.requests} (a timer: count, rate, latency
 * from the request's first byte read to its last byte written) and
 * {@code corral.listener.<port>.responses.<N>xx}. Names are bounded: one set per configured port.
 * Each request is also counted for Prometheus by the pool it went to ({@link HttpRequests}).
 *
 * <p>Per request: no lock and no allocation (issue 12). The latency goes to a
 * {@link RecorderReservoir}; the start is the exchange's own request start time (the listeners
 * set {@code RECORD_REQUEST_START_TIME}), so this one object is the completion listener of
 * every exchange, instead of a {@code Timer.Context} and a capturing lambda each.
 */
final class ListenerMetrics implements HttpHandler, ExchangeCompletionListener {

    private final Timer requests;
    private final Meter[] byClass = new Meter[6];
    private final HttpRequests.Listener byApp;
    private final HttpHandler next;

    ListenerMetrics(MetricRegistry registry, HttpRequests.Listener byApp, int port, HttpHandler next) {
        String base = "corral.listener." + port;
        this.requests = RecorderReservoir.timer(registry, base + ".requests");
        for (int c = 1; c <= 5; c++) {
            byClass[c] = registry.meter(base + ".responses." + c + "xx");
        }
        this.byApp = byApp;
        this.next = next;
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        exchange.addExchangeCompleteListener(this);
        next.handleRequest(exchange);
    }

    @Override
    public void exchangeEvent(HttpServerExchange exchange, NextListener proceed) {
        try {
            long start = exchange.getRequestStartTime();
            long nanos = start == -1 ? 0 : System.nanoTime() - start;
            requests.update(nanos, TimeUnit.NANOSECONDS);
            ForwardTarget target = exchange.getAttachment(ForwardTarget.KEY);
            byApp.record(target == null ? null : target.app(), exchange.getStatusCode(), nanos);
            int c = exchange.getStatusCode() / 100;
            if (c >= 1 && c <= 5) {
                byClass[c].mark();
            }
        } finally {
            proceed.proceed();
        }
    }
}
