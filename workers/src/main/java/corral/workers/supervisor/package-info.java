/**
 * The supervisor: the set of pools of one daemon, and the commands that act on them by app name.
 * Must not: know HTTP or the proxy; the daemon ({@code corral.proxy.daemon}) is its only user
 * (checked by {@code LayeringTest}).
 */
package corral.workers.supervisor;
