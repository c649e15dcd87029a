/**
 * The daemon: one JVM per Corral home that loads the configuration, runs the supervisor, opens
 * the traffic listeners (one per app's public port, one per vhost {@code listen} port) and the
 * admin API, and carries out the commands of {@code bin/control}.
 */
package corral.proxy.daemon;
