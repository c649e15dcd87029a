/**
 * Forwarding: the data path from a decided target to an instance of a pool and back. The routing
 * layer attaches a {@link corral.proxy.forward.ForwardTarget} (pool, URI, header operations) to
 * the exchange; {@link corral.proxy.forward.ForwardHandler} sends it over a keep-alive connection
 * ({@link corral.proxy.forward.UpstreamConnections}) to the instance the balancer picks, retries
 * as nginx's {@code proxy_next_upstream error timeout} does, answers 502/503/504 itself with a
 * line naming the pool, streams bodies both ways, counts, and logs one line per request. Each
 * pool has a {@link corral.proxy.forward.Bulkhead} in front of it: past its limits of requests in
 * flight and queued it answers 503 at once, so a pool that hangs holds a bounded share of the
 * proxy and never makes another pool's requests wait.
 *
 * <p>{@code Forwarding} owns an exchange's fate: its attempts, how each one
 * failed and whether the next is made; the {@link corral.proxy.forward.Forwarder} and its
 * attempts (on Undertow's HTTP client, not its {@code ProxyHandler}) only report to it. The
 * package must not choose a pool or rewrite a URI (the rules did), nor start or stop a
 * process: it sees pools only through {@code balance}'s snapshots.
 *
 * <p>Wiring, once per daemon:
 * <pre>{@code
 * UpstreamConnections connections = new UpstreamConnections(app -> UpstreamSettings.DEFAULTS);
 * PoolTable table = new PoolTable(app -> new LeastInFlight(), connections, scheduler, clock);
 * // the supervisor gets `table` as its DrainGate, and each pool gets it as a listener
 * HttpHandler forward = ForwardHandler.builder(table, connections)
 *         .metrics(registry).accessLog(accessLog).build();
 * }</pre>
 */
package corral.proxy.forward;
