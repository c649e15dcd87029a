package corral.proxy.forward;

/**
 * A pool's bulkhead now, for status and metrics.
 *
 * @param inFlight requests of the pool being forwarded
 * @param queued   requests of the pool waiting for a slot
 */
public record BulkheadFigures(int inFlight, int queued) {
}
