/** The daemon: listeners, vhost rules, balancing onto pools, health probe, admin API, control client. */
package corral.proxy;
