package corral.proxy.limit;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the limits did, per zone, since the daemon started: requests refused, delayed, and what a
 * dry run would have refused or delayed (nginx's {@code $limit_req_status} words); and the
 * requests waiting out a delay now. Zone names come from the configuration, so the series stay
 * bounded. Counted on the request path without a lock.
 */
public final class LimitCounts {

    /** What happened to a request, as nginx's {@code $limit_req_status} says it. */
    public enum Result {
        REJECTED, DELAYED, REJECTED_DRY_RUN, DELAYED_DRY_RUN;

        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private final ConcurrentHashMap<String, LongAdder[]> byZone = new ConcurrentHashMap<>();
    private final LongAdder waiting = new LongAdder();

    public void record(String zone, Result result) {
        LongAdder[] counts = byZone.get(zone);
        if (counts == null) {
            counts = byZone.computeIfAbsent(zone, z -> newCounts());
        }
        counts[result.ordinal()].increment();
    }

    private static LongAdder[] newCounts() {
        LongAdder[] counts = new LongAdder[Result.values().length];
        for (int i = 0; i < counts.length; i++) {
            counts[i] = new LongAdder();
        }
        return counts;
    }

    /** The count of one zone's result; 0 for a zone that never limited anything. */
    public long count(String zone, Result result) {
        LongAdder[] counts = byZone.get(zone);
        return counts == null ? 0 : counts[result.ordinal()].sum();
    }

    /** Every zone that limited something, sorted, with its counts by result. */
    public Map<String, Map<Result, Long>> snapshot() {
        Map<String, Map<Result, Long>> out = new TreeMap<>();
        byZone.forEach((zone, counts) -> {
            Map<Result, Long> byResult = new java.util.EnumMap<>(Result.class);
            for (Result r : Result.values()) {
                byResult.put(r, counts[r.ordinal()].sum());
            }
            out.put(zone, byResult);
        });
        return out;
    }

    /** A request starts waiting out its delay. */
    public void waitBegins() {
        waiting.increment();
    }

    /** A delayed request goes on, or its client left. */
    public void waitEnds() {
        waiting.decrement();
    }

    /** Requests waiting out a delay now. */
    public long waiting() {
        return waiting.sum();
    }
}
