/**
 * The vhost rules: the subset of nginx's configuration language that Corral keeps from the old
 * {@code conf/vhost/*.conf} files, with nginx's meaning.
 *
 * <p>{@link corral.proxy.rules.VhostLoader} reads the files once, checks all of them and either
 * throws a {@link corral.proxy.rules.RulesException} listing every problem by file and line, or
 * returns an immutable {@link corral.proxy.rules.VhostConfig}. Per request, the config's
 * {@link corral.proxy.rules.Router} turns a {@link corral.proxy.rules.RouteRequest} into a
 * {@link corral.proxy.rules.RouteDecision}: proxy to an app, redirect, answer, or close. The
 * package knows nothing of Undertow; the handler chain adapts exchanges to these records.
 *
 * <p>Strings that carry request bytes (URIs, header values, bodies) are "byte strings": each
 * char is one byte, as ISO-8859-1 decodes them. That is how nginx compares and rewrites them
 * (its regexes run without UTF-8 mode), and how Undertow hands raw request data over.
 */
package corral.proxy.rules;
