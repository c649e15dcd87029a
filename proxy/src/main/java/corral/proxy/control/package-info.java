/**
 * {@code bin/control}: the command line. It validates configuration locally ({@code check}),
 * starts a daemon when none runs for the home, and sends every other command to the daemon's
 * admin API, printing its progress and turning its outcome into one line and an exit code.
 * {@code daemon} runs the daemon itself in this JVM; {@code startup} prints its systemd unit.
 */
package corral.proxy.control;
