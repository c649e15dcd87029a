/**
 * The VIP health probe: {@code GET /health} on every listener, answered by Corral itself before
 * any rule. 200 while the machine is online and every pool has a ready instance; 503 otherwise.
 */
package corral.proxy.health;
