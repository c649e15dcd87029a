package corral.proxy.status;

import corral.proxy.limit.LimitCounts;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * {@code corral_limited_requests_total{zone,result}} (what limit_req and limit_conn did, per
 * zone: rejected, delayed, and the dry run's rejected_dry_run and delayed_dry_run) and
 * {@code corral_limit_delayed_now} (requests waiting out a limit_req delay), read at scrape
 * time from the listeners' counts.
 */
public final class LimitMetrics {

    private LimitMetrics() {
    }

    public static void register(PrometheusRegistry registry, LimitCounts counts) {
        CounterWithCallback.builder().name("corral_limited_requests_total")
                .help("Requests limit_req or limit_conn refused or delayed (or would have, in a dry run), by zone")
                .labelNames("zone", "result")
                .callback(cb -> counts.snapshot().forEach((zone, byResult) ->
                        byResult.forEach((result, n) -> cb.call(n, zone, result.label()))))
                .register(registry);
        GaugeWithCallback.builder().name("corral_limit_delayed_now")
                .help("Requests waiting out a limit_req delay now")
                .callback(cb -> cb.call(counts.waiting()))
                .register(registry);
    }
}
