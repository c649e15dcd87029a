/**
 * Balancing: which instance of a pool gets the next request. Each pool is seen as an immutable
 * {@link corral.proxy.balance.PoolSnapshot} of its ready instances, swapped in one step when the
 * supervisor publishes a change; every instance carries an exact count of the requests in flight
 * on it, which feeds the {@link corral.proxy.balance.BalancePolicy} and lets a draining instance
 * be signalled the moment its last request ends ({@link corral.proxy.balance.PoolTable} is the
 * supervisor's {@code DrainGate}). Nothing here knows HTTP or Undertow.
 * It must not touch the network or a process: it counts and chooses.
 */
package corral.proxy.balance;
