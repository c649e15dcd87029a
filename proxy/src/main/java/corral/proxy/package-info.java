/**
 * The daemon: listeners, vhost rules, balancing onto pools, health probe, admin API, control
 * client. Only {@code daemon} wires the supervisor to the listeners; only {@code control} starts
 * processes; {@code rules} and {@code balance} know nothing of Undertow (checked by
 * {@code LayeringTest}; the picture is in docs/architecture.md).
 */
package corral.proxy;
