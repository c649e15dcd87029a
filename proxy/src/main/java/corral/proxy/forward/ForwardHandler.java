package corral.proxy.forward;

import com.codahale.metrics.MetricRegistry;
import corral.proxy.balance.PoolTable;
import corral.proxy.balance.Upstream;
import io.undertow.server.ExchangeCompletionListener;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import java.time.Clock;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * The last handler of a listener's chain: forwards the exchange to the pool named by its
 * {@link ForwardTarget} (which the routing handler before it attached) and streams the answer
 * back through Corral's {@link Forwarder} (on Undertow's HTTP client and its keep-alive pools), with
 * the balancer choosing instances, retries as nginx's {@code proxy_next_upstream error timeout}, each pool's
 * {@link Bulkhead} in front, the proxy's own error responses ({@link FailureKind}), metrics and
 * one access-log line per request.
 */
public final class ForwardHandler implements HttpHandler {
    private final UpstreamConnections connections;
    private final PoolTable table;
    private final ForwardMetrics metrics;
    private final AccessLog accessLog;
    private final Clock clock;
    private final Forwarder forwarder;
    private final Bulkheads bulkheads = new Bulkheads();
    private final ExchangeCompletionListener completion = this::completed;

    private ForwardHandler(Builder b) {
        this.connections = b.connections;
        this.table = b.table;
        this.metrics = new ForwardMetrics(b.registry, b.table, bulkheads);
        this.accessLog = b.accessLog;
        this.clock = b.clock;
        this.forwarder = new Forwarder(b.table, connections, metrics);
    }

    /** Starts a forward handler over {@code table}'s pools and {@code connections}' keep-alive pools. */
    public static Builder builder(PoolTable table, UpstreamConnections connections) {
        return new Builder(table, connections);
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        ForwardTarget target = exchange.getAttachment(ForwardTarget.KEY);
        if (target == null) {
            throw new IllegalStateException("no ForwardTarget on the exchange for " + exchange.getRequestURI()
                    + ": the routing handler must attach ForwardTarget.KEY before ForwardHandler");
        }
        ServerAttempts servers = null;
        if (target.group() != null) {
            // an upstream over several pools: its round robin picks this request's pool
            servers = ServerAttempts.first(target.group(), table);
            target = target.withApp(servers != null ? servers.app() : target.app());
            exchange.putAttachment(ForwardTarget.KEY, target);
        }
        UpstreamSettings settings = connections.settings(target.app());
        if (target.readTimeout() != null) {
            settings = settings.withReadTimeout(target.readTimeout());
        }
        Forwarding forwarding = new Forwarding(exchange, target, settings, table, clock.instant(), servers);
        exchange.putAttachment(Forwarding.KEY, forwarding);
        metrics.pool(target.app());
        exchange.addExchangeCompleteListener(completion);
        exchange.addDefaultResponseListener(ErrorResponses.INSTANCE);
        if (tooLarge(exchange)) {
            // As nginx with client_max_body_size: refuse before anything reaches an instance.
            ErrorResponses.send(exchange, forwarding, FailureKind.TOO_LARGE);
            return;
        }
        // The exchange shows the target's URI from now on, as the request sent upstream has it.
        exchange.setRequestURI(target.path(), false);
        exchange.setQueryString(target.query());
        exchange.setResolvedPath("");
        bulkheads.of(target.app()).enter(exchange, forwarding, forwarder);
    }

    /** How many error responses of {@code kind} the proxy gave for pool {@code app} so far. */
    public long errors(String app, FailureKind kind) {
        return metrics.pool(app).errors(kind);
    }

    /** How many attempts of pool {@code app} were sent again to another instance so far. */
    public long retries(String app) {
        return metrics.pool(app).retries();
    }

    /** Requests of pool {@code app} forwarded now and waiting for a slot now (its bulkhead). */
    public BulkheadFigures bulkhead(String app) {
        return bulkheads.figures(app);
    }

    private static boolean tooLarge(HttpServerExchange exchange) {
        long max = exchange.getMaxEntitySize();
        return max > 0 && exchange.getRequestContentLength() > max;
    }

    private void completed(HttpServerExchange exchange, ExchangeCompletionListener.NextListener next) {
        try {
            Forwarding forwarding = exchange.getAttachment(Forwarding.KEY);
            forwarding.finish();
            long nanos = forwarding.elapsedNanos();
            ForwardMetrics.PoolMetrics pool = metrics.pool(forwarding.app());
            pool.request(nanos);
            if (forwarding.answeredWith() != null) {
                pool.error(forwarding.answeredWith());
            }
            if (exchange.getAttachment(UpstreamVariables.LOGGED_BY_RULES) == null) {
                accessLog.log(record(exchange, forwarding, nanos));
            }
        } finally {
            next.proceed();
        }
    }

    private static AccessRecord record(HttpServerExchange exchange, Forwarding forwarding, long nanos) {
        Upstream upstream = forwarding.upstream();
        return new AccessRecord(forwarding.startedAt(), forwarding.client(), forwarding.host(),
                exchange.getRequestMethod().toString(), forwarding.originalUri(), forwarding.app(),
                upstream == null ? -1 : upstream.index(), upstream == null ? 0 : upstream.pid(),
                forwarding.attempts(), exchange.getStatusCode(), exchange.getResponseBytesSent(),
                TimeUnit.NANOSECONDS.toMillis(nanos));
    }

    /** Configures a {@link ForwardHandler}; only the table and the connections are required. */
    public static final class Builder {
        private final PoolTable table;
        private final UpstreamConnections connections;
        private MetricRegistry registry = new MetricRegistry();
        private AccessLog accessLog = AccessLog.NONE;
        private Clock clock = Clock.systemUTC();

        private Builder(PoolTable table, UpstreamConnections connections) {
            this.table = Objects.requireNonNull(table, "table");
            this.connections = Objects.requireNonNull(connections, "connections");
        }

        /** Where the metrics go (default: a private registry). */
        public Builder metrics(MetricRegistry registry) {
            this.registry = Objects.requireNonNull(registry, "registry");
            return this;
        }

        /** Where access-log lines go (default: nowhere). */
        public Builder accessLog(AccessLog accessLog) {
            this.accessLog = Objects.requireNonNull(accessLog, "accessLog");
            return this;
        }

        /** The clock that stamps access-log lines (default: system UTC). */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        public ForwardHandler build() {
            return new ForwardHandler(this);
        }
    }
}
