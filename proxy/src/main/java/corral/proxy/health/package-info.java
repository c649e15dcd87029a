/**
 * The VIP health probe, answered by Corral itself before any rule on every listener: {@code
 * GET /health} for the apps that listener serves (an app's public port: that app; a vhost port:
 * the apps its server proxies to), {@code GET /health/<app>} for one app. 200 while the machine
 * is online and each of those apps is online with a ready instance; 503 otherwise. {@code
 * bin/control offline} takes the whole machine out, {@code offline <app>} one app.
 * It reads pool views and the offline flags only: it must not forward a request or change a pool.
 */
package corral.proxy.health;
