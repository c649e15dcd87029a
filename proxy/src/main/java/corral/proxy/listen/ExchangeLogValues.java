package corral.proxy.listen;

import corral.proxy.accesslog.LogValues;
import corral.proxy.accesslog.ResponseVariables;
import corral.proxy.forward.UpstreamVariables;
import corral.proxy.rules.RequestLog;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.HeaderValues;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

/**
 * The variables of one finished exchange for its log line: the answer's from the exchange
 * ({@link ResponseVariables}), the request's from the rules ({@link RequestLog}).
 */
final class ExchangeLogValues implements LogValues {

    private final HttpServerExchange exchange;
    private final RequestLog request;
    private final Instant end;

    ExchangeLogValues(HttpServerExchange exchange, RequestLog request, Instant end) {
        this.exchange = exchange;
        this.request = request;
        this.end = end;
        request.answered(this);
    }

    @Override
    public String value(String name) {
        return switch (name) {
            case "status" -> Integer.toString(exchange.getStatusCode());
            case "body_bytes_sent" -> Long.toString(exchange.getResponseBytesSent());
            case "bytes_sent" -> Long.toString(exchange.getResponseBytesSent() + headerBytes());
            case "request_length" -> Long.toString(requestLength());
            case "request_time" -> ResponseVariables.seconds(TimeUnit.NANOSECONDS.toMillis(
                    System.nanoTime() - exchange.getRequestStartTime()));
            case "msec" -> ResponseVariables.msec(end);
            case "time_local" -> ResponseVariables.timeLocal(end);
            case "time_iso8601" -> ResponseVariables.timeIso8601(end);
            case "pipe" -> ".";
            // nginx: "OK" once the whole answer is sent, else ""
            case "request_completion" -> exchange.isResponseComplete() ? "OK" : "";
            case "upstream_cache_status" -> null; // no proxy_cache: nginx's "not found"
            case "http2" -> exchange.getProtocol().toString().equals("HTTP/2.0") ? "h2" : "";
            case "upstream_addr" -> UpstreamVariables.addr(exchange);
            case "upstream_status" -> UpstreamVariables.status(exchange);
            case "upstream_response_time", "upstream_connect_time", "upstream_header_time" -> {
                long ms = UpstreamVariables.responseMillis(exchange);
                yield ms < 0 || UpstreamVariables.addr(exchange) == null ? null : ResponseVariables.seconds(ms);
            }
            case "upstream_response_length", "upstream_bytes_received" -> UpstreamVariables.addr(exchange) == null
                    ? null : Long.toString(exchange.getResponseBytesSent());
            case "sent_http_content_type" -> responseHeader("Content-Type");
            case "sent_http_content_length" -> responseHeader("Content-Length");
            case "sent_http_location" -> responseHeader("Location");
            default -> name.startsWith("sent_http_") ? sentHeader(name.substring(10)) : request.variable(name);
        };
    }

    /**
     * {@code $sent_http_NAME}: the first answer header of that name ("_" for "-"), as nginx
     * 1.22; Cache-Control's lines joined with ", ".
     */
    private String sentHeader(String varName) {
        HeaderValues values = exchange.getResponseHeaders().get(varName.replace('_', '-'));
        if (values == null || values.isEmpty()) {
            return null;
        }
        return varName.equals("cache_control") ? String.join(", ", values) : values.getFirst();
    }

    private String responseHeader(String name) {
        return exchange.getResponseHeaders().getFirst(name);
    }

    /** The status line and headers as sent (close to nginx's: its own headers differ). */
    private long headerBytes() {
        long n = "HTTP/1.1 200 OK\r\n\r\n".length();
        for (HeaderValues values : exchange.getResponseHeaders()) {
            for (String v : values) {
                n += values.getHeaderName().length() + 2 + v.length() + 2;
            }
        }
        return n;
    }

    /** {@code $request_length}: the request line, the headers and the body, as received. */
    private long requestLength() {
        // the request line as received (a forwarded exchange's URI is already the upstream's)
        long n = request.variable("request").length() + 2 + 2;
        for (HeaderValues values : exchange.getRequestHeaders()) {
            for (String v : values) {
                n += values.getHeaderName().length() + 2 + v.length() + 2;
            }
        }
        return n + Math.max(0, exchange.getRequestContentLength());
    }
}
