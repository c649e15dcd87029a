package corral.proxy.limit;

/**
 * One {@code limit_req zone=NAME [burst=N] [nodelay | delay=N]}, compiled: burst and delay in
 * milli-requests, as nginx keeps them.
 *
 * @param zone  the zone
 * @param burst the excess allowed (nginx: {@code burst * 1000}); over it a request is rejected
 * @param delay the excess served at once ({@code delay * 1000}; {@link #NO_DELAY} for
 *              {@code nodelay}); requests over it and within burst wait until the bucket has
 *              drained to it
 */
public record RateLimit(RateZone zone, long burst, long delay) {

    /** {@code nodelay}: no excess is ever waited for. */
    public static final long NO_DELAY = Long.MAX_VALUE;

    /** The wait, in ms, for a request that brings the excess to {@code excess}. */
    long delayFor(long excess) {
        return excess <= delay ? 0 : (excess - delay) * 1000 / zone.rate();
    }
}
