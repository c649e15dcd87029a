package corral.proxy.limit;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One {@code limit_conn_zone}: the requests in progress per key, as ngx_http_limit_conn_module
 * counts them. A key has a state while it has a request in progress; the last one to end frees
 * it. Bounded by the zone's size as nginx's slab bounds it ({@link ZoneSize}); when there is no
 * room for a new key, nginx refuses the request, and so does this.
 *
 * <p>Not a Caffeine cache, unlike {@link RateZone}: nginx never evicts a count of requests in
 * progress (forgetting one would let more through than the limit), and nothing here expires;
 * an evicting cache would be the wrong bound. A counted map gives nginx's answer: full means no.
 */
public final class ConnZone {

    /** What the zone says of one more request of a key. */
    public enum Outcome { ACQUIRED, BUSY, NO_ROOM }

    /** offsetof(ngx_http_limit_conn_node_t, data): color, len and a 16-bit count. */
    private static final int NODE_HEADER = 4;

    private final String name;
    private final long capacity;
    private final ConcurrentMap<String, Integer> counts = new ConcurrentHashMap<>();
    private final AtomicLong used = new AtomicLong();

    public ConnZone(String name, long size) {
        this.name = name;
        this.capacity = ZoneSize.usable(size);
    }

    public String name() {
        return name;
    }

    /** One more request of {@code key}, unless it has {@code limit} in progress or there is no room. */
    public Outcome acquire(String key, int limit) {
        Outcome[] out = {Outcome.ACQUIRED};
        counts.compute(key, (k, n) -> {
            if (n == null) {
                int weight = weight(k);
                if (used.addAndGet(weight) > capacity) {
                    used.addAndGet(-weight);
                    out[0] = Outcome.NO_ROOM;
                    return null;
                }
                return 1;
            }
            if (n >= limit) {
                out[0] = Outcome.BUSY;
                return n;
            }
            return n + 1;
        });
        return out[0];
    }

    /** One request of {@code key} ended. */
    public void release(String key) {
        counts.computeIfPresent(key, (k, n) -> {
            if (n > 1) {
                return n - 1;
            }
            used.addAndGet(-weight(k));
            return null;
        });
    }

    /** The requests of {@code key} in progress. */
    public int inProgress(String key) {
        return counts.getOrDefault(key, 0);
    }

    private static int weight(String key) {
        return ZoneSize.slot(NODE_HEADER, key.length());
    }
}
