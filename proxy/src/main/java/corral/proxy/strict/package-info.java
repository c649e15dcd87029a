/**
 * The strict front door of every listener Corral opens (vhost ports, app ports, the admin API):
 * a request whose framing or target two HTTP parsers could read differently is refused, with the
 * status nginx gives and the connection closed, before any rule, bulkhead or forward sees it
 * (RFC 9112 §2–7, RFC 3986 §5.2.4). Undertow's own parser does what it can be configured to do
 * ({@link corral.proxy.strict.StrictFraming#configure}); {@link corral.proxy.strict.StrictFraming}
 * checks the rest on the parsed exchange. What neither can see is listed in
 * {@code docs/http-strictness.md}.
 *
 * <p>Wiring, once per listener, outside everything that reads the request:
 * <pre>{@code
 * Undertow server = StrictFraming.configure(Undertow.builder())
 *         .addHttpListener(port, host)
 *         .setHandler(new StrictFraming(chain))
 *         .build();
 * }</pre>
 * It only refuses: it must not route, forward or answer a request it lets through.
 */
package corral.proxy.strict;
