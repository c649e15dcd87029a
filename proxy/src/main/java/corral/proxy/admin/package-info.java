/**
 * The admin API that {@code bin/control} talks to: loopback only, every request carrying the
 * token from the {@code 0600} file in the state directory (401 without it, nothing done). Long
 * commands stream their progress as text lines and end with an {@code ok:} or {@code error:} line.
 * It parses and authenticates commands and hands them to the daemon: it must not reach a pool,
 * the supervisor or a listener itself ({@code daemon} does).
 */
package corral.proxy.admin;
