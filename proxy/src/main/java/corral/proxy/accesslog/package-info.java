/**
 * nginx's {@code log_format}/{@code access_log} for vhosts (issue 13): how a variable's value is
 * written into a log line. Values are byte strings (one char per byte, ISO-8859-1), as in
 * {@link corral.proxy.rules}.
 */
package corral.proxy.accesslog;
