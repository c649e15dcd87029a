/**
 * When a new instance may get traffic: a policy per way of telling (TCP accept, or an HTTP path
 * that answers 2xx, the {@code 'ready'} message of PM2's {@code wait_ready}), chosen by the app's
 * configuration.
 */
package corral.workers.readiness;
