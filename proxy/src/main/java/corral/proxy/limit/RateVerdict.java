package corral.proxy.limit;

/** What the {@code limit_req}s of a request decided (nginx's limit_req handler). */
public sealed interface RateVerdict {

    /** No limit applies, or every one lets the request through now. */
    record Pass() implements RateVerdict {
    }

    /**
     * Let through after {@code ms}: the longest wait any zone asks for.
     *
     * @param zone   the zone that asks for it
     * @param excess its excess, for the log line
     */
    record Delay(long ms, String zone, long excess) implements RateVerdict {
    }

    /**
     * Refused: over a zone's burst ({@code busy}), or no room for the key's state in the zone
     * (nginx then logs nothing but refuses alike).
     */
    record Reject(String zone, long excess, boolean busy) implements RateVerdict {
    }

    Pass PASS = new Pass();
}
