package corral.proxy.listen;

import corral.proxy.accesslog.AccessLogFiles;
import corral.proxy.accesslog.AccessLogTarget;
import corral.proxy.accesslog.StubStatus;
import corral.proxy.forward.AccessLog;
import corral.proxy.forward.AccessRecord;
import corral.proxy.forward.ConnectionAddresses;
import corral.proxy.forward.UpstreamVariables;
import corral.proxy.rules.RequestLog;
import corral.proxy.rules.Router;
import io.undertow.server.ExchangeCompletionListener;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.AttachmentKey;
import io.undertow.util.Headers;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Where the vhost ports' requests are logged: every request once, proxied or answered by the
 * rules ({@code return}, a redirect, a 4xx). With {@code access_log}s in effect, a line in each
 * of their files in their {@code log_format}; with none configured anywhere, Corral's own
 * log/access.log line (the forwarder writes the proxied ones, this the others, with pool "-").
 * Also keeps the {@code stub_status} figures.
 */
public final class VhostLogging {

    /** Put by the route handler: the rules saw the request (else the framing checks refused it first). */
    private static final AttachmentKey<Boolean> ROUTED = AttachmentKey.create(Boolean.class);

    private volatile AccessLog defaultLog = AccessLog.NONE;
    private volatile AccessLogFiles files;
    private final StubCounters counters = new StubCounters();

    /** Where lines go from now on: Corral's own access log, and the files of the vhosts' access_log. */
    public void logTo(AccessLog defaultLog, AccessLogFiles files) {
        this.defaultLog = defaultLog;
        this.files = files;
    }

    /**
     * The first handler of a vhost port, in front of the framing checks: while the rules log or
     * count, every request is counted for stub_status, and one refused before the rules ran (a
     * 400 for two Host headers) is logged as nginx logs it, by the port's default server.
     */
    HttpHandler front(Supplier<Router> rules, Supplier<Boolean> vhostPort, HttpHandler next) {
        ExchangeCompletionListener refused = (exchange, proceed) -> {
            try {
                if (exchange.getAttachment(ROUTED) == null) {
                    RequestLog log = rules.get().routed(VhostRouteHandler.request(exchange)).log();
                    if (log != null && log.targets() != null) {
                        write(exchange, log, log.targets());
                    }
                }
            } finally {
                proceed.proceed();
            }
        };
        return exchange -> {
            if (vhostPort.get() && rules.get().logsOrCounts()) { // an app port has no rules to ask
                counters.count(exchange);
                exchange.addExchangeCompleteListener(refused);
            }
            next.handleRequest(exchange);
        };
    }

    StubStatus stubStatus() {
        return counters.now();
    }

    /** Logs the exchange when it completes, as its {@link RequestLog} (null: no access_log anywhere) says. */
    void logWhenDone(HttpServerExchange exchange, RequestLog log, boolean proxied) {
        if (log != null) {
            exchange.putAttachment(ROUTED, Boolean.TRUE);
        }
        List<AccessLogTarget> targets = log == null ? null : log.targets();
        if (targets != null) {
            exchange.putAttachment(UpstreamVariables.LOGGED_BY_RULES, Boolean.TRUE);
            if (!targets.isEmpty()) {
                exchange.addExchangeCompleteListener((ex, next) -> {
                    try {
                        write(ex, log, targets);
                    } finally {
                        next.proceed();
                    }
                });
            }
        } else if (!proxied) {
            Instant start = Instant.now();
            exchange.addExchangeCompleteListener((ex, next) -> {
                try {
                    defaultLog.log(answered(ex, start));
                } finally {
                    next.proceed();
                }
            });
        }
    }

    private void write(HttpServerExchange exchange, RequestLog log, List<AccessLogTarget> targets) {
        AccessLogFiles out = files;
        if (out == null) {
            return;
        }
        ExchangeLogValues values = new ExchangeLogValues(exchange, log, Instant.now());
        for (AccessLogTarget target : targets) {
            if (target.wanted(values)) {
                out.write(target.path(), target.format().render(values));
            }
        }
    }

    /** Corral's own line for a request the rules answered themselves. */
    private static AccessRecord answered(HttpServerExchange exchange, Instant start) {
        String query = exchange.getQueryString();
        String uri = query == null || query.isEmpty() ? exchange.getRequestURI() : exchange.getRequestURI() + "?" + query;
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - exchange.getRequestStartTime());
        // the client's address as the route request has it: formatted once per connection (issue 12)
        return new AccessRecord(start, ConnectionAddresses.of(exchange).remoteAddr(),
                exchange.getRequestHeaders().getFirst(Headers.HOST), exchange.getRequestMethod().toString(), uri, "-",
                -1, 0, 0, exchange.getStatusCode(), exchange.getResponseBytesSent(), millis);
    }
}
