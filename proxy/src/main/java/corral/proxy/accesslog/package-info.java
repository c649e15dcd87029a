/**
 * nginx's {@code log_format}/{@code access_log} for vhosts (issue 13): how a variable's value is
 * written into a log line. Values are byte strings (one char per byte, ISO-8859-1), as in
 * {@link corral.proxy.rules}.
 * It formats lines and keeps the files the directives name open; it must not decide which
 * requests a location logs (the rules do) nor route or forward anything.
 */
package corral.proxy.accesslog;
