/**
 * When a new instance may get traffic: a policy per way of telling (TCP accept, or an HTTP path
 * that answers 2xx, the {@code 'ready'} message of PM2's {@code wait_ready}), chosen by the app's
 * configuration.
 * It only probes: it never starts, signals or ends a process (the pool and {@code process} do),
 * and publishes nothing itself.
 */
package corral.workers.readiness;
