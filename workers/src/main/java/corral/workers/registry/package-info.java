/**
 * The registry of live workers in the state directory ({@code run/workers.json}): rewritten on
 * every membership change, so that a later daemon can end the workers of one that died (kill -9)
 * and a rollback by overwrite leaves no residual process.
 */
package corral.workers.registry;
