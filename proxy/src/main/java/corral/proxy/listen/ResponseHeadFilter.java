package corral.proxy.listen;

import corral.proxy.rules.ResponseEdits;
import corral.proxy.rules.ResponseHead;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.HeaderMap;
import io.undertow.util.HeaderValues;
import io.undertow.util.HttpString;
import java.time.Clock;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * Applies the rules' {@link ResponseEdits} to an exchange's answer when its head is final:
 * an instance's answer (after the forwarder copied its headers), Corral's own error answers and
 * the rules' {@code return}s alike. Installed as a response wrapper, which Undertow runs when
 * it makes the response channel, that is before the head is written. Install it after
 * {@code GzipFilter}: the last wrapper added runs first, and nginx's headers filter runs
 * before its gzip filter (gzip_proxied reads the Cache-Control that expires wrote).
 */
public final class ResponseHeadFilter {

    private ResponseHeadFilter() {
    }

    /** Makes {@code edits} change the head of {@code exchange}'s answer, at {@code clock}'s time. */
    public static void install(HttpServerExchange exchange, ResponseEdits edits, Clock clock) {
        if (edits == ResponseEdits.NONE) {
            return;
        }
        BooleanSupplier live = AnswerScope.current(exchange);
        exchange.addResponseWrapper((factory, ex) -> {
            if (live.getAsBoolean()) {
                edits.apply(new Head(ex), clock.instant());
            }
            return factory.create();
        });
    }

    /**
     * Makes {@code edits} change the head as it is now: for a file, whose head nginx's headers
     * filter sees before the gzip and range filters change it (a 416 keeps what the 200 got).
     */
    public static void applyNow(HttpServerExchange exchange, ResponseEdits edits, Clock clock) {
        edits.apply(new Head(exchange), clock.instant());
    }

    /** The exchange's status and response headers, as the rules see them. */
    private record Head(HttpServerExchange exchange) implements ResponseHead {

        @Override
        public int status() {
            return exchange.getStatusCode();
        }

        @Override
        public List<String> values(String name) {
            HeaderValues values = exchange.getResponseHeaders().get(name);
            return values == null ? List.of() : List.copyOf(values);
        }

        @Override
        public void set(String name, List<String> values) {
            HeaderMap headers = exchange.getResponseHeaders();
            HttpString key = new HttpString(name);
            headers.remove(key);
            headers.addAll(key, values);
        }

        @Override
        public void add(String name, String value) {
            exchange.getResponseHeaders().add(new HttpString(name), value);
        }

        @Override
        public void status(int status) {
            exchange.setStatusCode(status);
        }
    }
}
