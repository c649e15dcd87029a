/**
 * What an operator sees of a running daemon without its admin token: a read-only listener
 * ({@code status.listen} in {@code corral.properties}, default {@code 127.0.0.1:8199}) that serves
 * {@code GET /metrics} in the Prometheus text format (OpenMetrics when the scraper asks for it),
 * {@code GET /} a self-contained status page, and {@code GET /status.json} the tree that page polls
 * (the same as {@code bin/control status --json}). Nothing on it changes state.
 *
 * <p>The figures come from the official Prometheus client: request counts and latencies recorded
 * per listener and app by {@link corral.proxy.status.HttpRequests} (series made once, found again
 * without building label arrays, so the request path takes no lock and allocates nothing), and
 * everything else read at scrape time from the daemon through {@link corral.proxy.status.Fleet}.
 *
 * <p>Wiring, once per daemon:
 * <pre>{@code
 * PrometheusRegistry registry = new PrometheusRegistry();
 * HttpRequests requests = HttpRequests.register(registry);   // each listener records into requests.listener(port)
 * FleetMetrics.register(registry, fleet);                     // pools, instances, reloads, the JVM
 * StatusListener listener = StatusListener.open(worker, address, registry, fleet);
 * }</pre>
 */
package corral.proxy.status;
