/**
 * The daemon: one JVM per Corral home that loads the configuration, runs the supervisor, opens
 * the traffic listeners (one per app's public port, one per vhost {@code listen} port) and the
 * admin API, and carries out the commands of {@code bin/control}. It runs detached
 * ({@code bin/control start}) or in the foreground for a service manager ({@code bin/control
 * daemon}); either way SIGTERM drains and stops, SIGHUP reloads the configuration and SIGUSR1
 * reopens every log file ({@code DaemonSignals}).
 *
 * <p>The only package that uses the supervisor and wires it to the proxy (through
 * {@code PoolListener} and {@code DrainGate}); it must not hold request-path logic, which lives in
 * the packages it wires.
 */
package corral.proxy.daemon;
