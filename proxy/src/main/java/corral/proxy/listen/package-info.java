/**
 * The traffic listeners: one per app's public port (every request to that app's pool, as PM2's
 * shared cluster port was) and one per vhost {@code listen} port (the rules decide). Each chain is
 * strict framing ({@link corral.proxy.strict.StrictFraming}), health probe, routing, forwarding;
 * listeners open and close as the configuration changes, and a port's routing swaps atomically
 * between two requests.
 * It composes the handlers of the other packages and owns the ports: it must not make a routing
 * or forwarding decision itself.
 */
package corral.proxy.listen;
