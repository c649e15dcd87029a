/**
 * Building blocks of the daemon's Dropwizard metrics (what {@code bin/control metrics} shows) that
 * the request path can afford: {@link corral.proxy.metrics.RecorderReservoir}, latencies recorded
 * without lock or allocation (issue 12). Depends on no other Corral package, so the forward and
 * listen layers both use it without a cycle.
 */
package corral.proxy.metrics;
