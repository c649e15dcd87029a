package corral.proxy.listen;

import corral.proxy.forward.ErrorPageHook;
import corral.proxy.limit.ConnLimiter;
import corral.proxy.limit.LimitCounts;
import corral.proxy.limit.LimitCounts.Result;
import corral.proxy.limit.LimitPolicy;
import corral.proxy.limit.RateLimiter;
import corral.proxy.limit.RateVerdict;
import corral.proxy.limit.RequestLimits;
import corral.proxy.rules.ErrorPages;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.SameThreadExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.xnio.XnioExecutor;

/**
 * nginx's preaccess phase for a proxied request: its {@code limit_req}s first, then its
 * {@code limit_conn}s (nginx runs them in that order), then the rest of the chain. A refused
 * request gets the level's status and nginx's page for it; a delayed one waits on its IO
 * thread's timer, holding no thread, and goes on from there; a request let through holds its
 * {@code limit_conn} places until it ends.
 *
 * <p>Counts per zone what it did ({@link LimitCounts}) and the requests waiting now; logs each
 * refusal and delay at the level's {@code *_log_level}, with nginx's words.
 */
final class LimitGate {

    private static final System.Logger LOG = System.getLogger("corral.limit");

    private final LimitCounts counts;

    LimitGate(LimitCounts counts) {
        this.counts = counts;
    }

    /** Runs {@code then} on the exchange once its limits let it through, or answers for them. */
    void apply(HttpServerExchange exchange, RequestLimits limits, HttpHandler then) throws Exception {
        if (limits.isEmpty()) {
            then.handleRequest(exchange);
            return;
        }
        LimitPolicy policy = limits.ratePolicy();
        RateVerdict verdict = RateLimiter.decide(limits.rate());
        if (verdict instanceof RateVerdict.Reject r) {
            if (r.busy()) {
                log(policy.logLevel(), "limiting requests" + dry(policy) + ", excess: "
                        + milli(r.excess()) + " by zone \"" + r.zone() + "\"", exchange);
            }
            if (count(r.zone(), Result.REJECTED, Result.REJECTED_DRY_RUN, policy)) {
                refuse(exchange, policy.status());
                return;
            }
        } else if (verdict instanceof RateVerdict.Delay d) {
            log(policy.logLevel().forDelay(), "delaying request" + dry(policy) + ", excess: "
                    + milli(d.excess()) + ", by zone \"" + d.zone() + "\"", exchange);
            if (count(d.zone(), Result.DELAYED, Result.DELAYED_DRY_RUN, policy)) {
                delay(exchange, d.ms(), ex -> connections(ex, limits, then));
                return;
            }
        }
        connections(exchange, limits, then);
    }

    private void connections(HttpServerExchange exchange, RequestLimits limits, HttpHandler then)
            throws Exception {
        LimitPolicy policy = limits.connPolicy();
        ConnLimiter.Verdict verdict = ConnLimiter.acquire(limits.conn());
        if (verdict instanceof ConnLimiter.Refused r) {
            if (r.busy()) {
                log(policy.logLevel(), "limiting connections" + dry(policy) + " by zone \""
                        + r.zone() + "\"", exchange);
            }
            if (count(r.zone(), Result.REJECTED, Result.REJECTED_DRY_RUN, policy)) {
                refuse(exchange, policy.status());
                return;
            }
        } else if (verdict instanceof ConnLimiter.Held held && !held.held().isEmpty()) {
            exchange.addExchangeCompleteListener((ex, next) -> {
                held.release();
                next.proceed();
            });
        }
        then.handleRequest(exchange);
    }

    /**
     * Goes on with {@code resume} after {@code ms}, on the exchange's IO thread's timer. A client
     * that leaves meanwhile is let go as nginx lets it go (ngx_http_test_reading): the timer is
     * cancelled and nothing is forwarded.
     */
    private void delay(HttpServerExchange exchange, long ms, HttpHandler resume) {
        counts.waitBegins();
        AtomicBoolean settled = new AtomicBoolean();
        exchange.dispatch(SameThreadExecutor.INSTANCE, () -> {
            Runnable unwatch = ClientCloseWatch.start(exchange);
            XnioExecutor.Key timer = exchange.getIoThread().executeAfter(() -> {
                if (settled.compareAndSet(false, true)) {
                    counts.waitEnds();
                    unwatch.run();
                    if (exchange.getConnection().isOpen()) {
                        exchange.dispatch(SameThreadExecutor.INSTANCE, resume);
                    }
                }
            }, ms, TimeUnit.MILLISECONDS);
            exchange.getConnection().addCloseListener(connection -> {
                if (settled.compareAndSet(false, true)) {
                    timer.remove();
                    counts.waitEnds();
                }
            });
        });
    }

    /** Counts the event; true when it is to be carried out (not a dry run). */
    private boolean count(String zone, Result result, Result dryRun, LimitPolicy policy) {
        counts.record(zone, policy.dryRun() ? dryRun : result);
        return !policy.dryRun();
    }

    private static void refuse(HttpServerExchange exchange, int status) {
        ErrorPageHook pages = exchange.removeAttachment(ErrorPageHook.KEY);
        if (pages != null && pages.answer(exchange, status, false)) {
            return; // the error_page of the refusal's status answers
        }
        VhostRouteHandler.respond(exchange, ErrorPages.of(status));
    }

    private static void log(LimitPolicy.Level level, String message, HttpServerExchange exchange) {
        System.Logger.Level l = level.logger();
        if (LOG.isLoggable(l)) {
            LOG.log(l, message + ", client: " + exchange.getSourceAddress().getAddress().getHostAddress()
                    + ", request: \"" + exchange.getRequestMethod() + " " + exchange.getRequestURI() + "\"");
        }
    }

    private static String dry(LimitPolicy policy) {
        return policy.dryRun() ? ", dry run" : "";
    }

    /** nginx prints an excess as requests with three decimals. */
    private static String milli(long excess) {
        return excess / 1000 + "." + String.format("%03d", excess % 1000);
    }
}
