/**
 * What happens after an instance exits on its own: PM2's rules ({@code autorestart},
 * {@code stop_exit_codes}, {@code min_uptime}, {@code max_restarts}) decide whether to restart,
 * and a delay policy ({@code restart_delay} or {@code exp_backoff_restart_delay}) decides when.
 * Pure functions of their inputs, so they are tested without waiting.
 * They decide only: nothing here starts a process, takes a lock or waits.
 */
package corral.workers.restart;
