package corral.proxy.limit;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * One {@code limit_req_zone}: the leaky bucket of each key, as ngx_http_limit_req_module keeps
 * it. A key's state is its excess (milli-requests over the rate, drained at the rate) and the
 * time it was last changed. Thread-safe: each key's state changes in one atomic step.
 *
 * <p>The states live in a Caffeine cache (nginx: an rbtree in a shared slab). Bounded by the
 * weight nginx's slab would give them ({@link ZoneSize}): when full, nginx frees its least
 * recently used state; Caffeine evicts by recency and frequency (W-TinyLFU), so a key that
 * keeps coming is the last to be forgotten. A state expires when nginx's expiry would free
 * it: idle for a minute at least and its excess drained; a drained state answers as no state.
 */
public final class RateZone {

    /** What one zone says of one request: nginx's NGX_OK, NGX_AGAIN, NGX_BUSY, NGX_ERROR. */
    public enum Outcome { ACCOUNTED, AGAIN, BUSY, NO_ROOM }

    /** An outcome and the excess it was decided on (milli-requests). */
    public record Lookup(Outcome outcome, long excess) {
    }

    /** The clock of the daemon's zones: monotonic milliseconds. */
    public static final LongSupplier MONOTONIC = () -> System.nanoTime() / 1_000_000;

    /** offsetof(ngx_http_limit_req_node_t, data) on 64-bit. */
    private static final int NODE_HEADER = 48;
    /** nginx's expiry frees a state idle for a minute at least. */
    private static final long IDLE_MS = 60_000;

    private record State(long excess, long last) {
    }

    /**
     * The states, which a reload keeps when the zone's name and size stay (nginx's shared memory
     * zone reused by the new configuration); the expiry drains them at the newest rate.
     */
    private static final class Memory {
        final long capacity;
        final Cache<String, State> states;
        volatile long rate;

        Memory(long size, long rate, LongSupplier nowMillis) {
            this.capacity = ZoneSize.usable(size);
            this.rate = rate;
            this.states = Caffeine.newBuilder()
                    .ticker(() -> TimeUnit.MILLISECONDS.toNanos(nowMillis.getAsLong()))
                    .maximumWeight(capacity)
                    .weigher((String key, State s) -> weight(key))
                    .expireAfter(new Drained(this))
                    .build();
        }
    }

    private final String name;
    private final long rate;
    private final LongSupplier nowMillis;
    private final long capacity;
    private final Cache<String, State> states;
    private final Memory memory;

    /**
     * @param name      the zone's name (its metrics and log lines)
     * @param size      the zone's size in bytes
     * @param rate      milli-requests per second (nginx's {@code rate=1r/s} is 1000, {@code 30r/m} 500)
     * @param nowMillis a monotonic clock in milliseconds
     */
    public RateZone(String name, long size, long rate, LongSupplier nowMillis) {
        this(name, rate, nowMillis, new Memory(size, rate, nowMillis));
    }

    private RateZone(String name, long rate, LongSupplier nowMillis, Memory memory) {
        this.name = name;
        this.rate = rate;
        this.nowMillis = nowMillis;
        this.memory = memory;
        this.capacity = memory.capacity;
        this.states = memory.states;
    }

    /**
     * This zone's states under a new configuration's {@code rate=}, as nginx 1.22 keeps a
     * zone across a reload when its name, size and key are unchanged (the rate may change: it
     * is not in the shared memory). The keys' excess carries on, drained at the new rate.
     */
    public RateZone keptWith(long newRate) {
        memory.rate = newRate;
        return new RateZone(name, newRate, nowMillis, memory);
    }

    public String name() {
        return name;
    }

    /** Milli-requests per second. */
    public long rate() {
        return rate;
    }

    /**
     * nginx's lookup: the excess this request brings the key to; over {@code burst} it is BUSY
     * (nothing changes). Otherwise, when {@code account} (the last limit of the level), the
     * excess is stored; else the request is AGAIN, to be accounted by {@link #account} once every
     * limit has let it through.
     */
    public Lookup lookup(String key, long burst, boolean account) {
        if (weight(key) > capacity) {
            return new Lookup(Outcome.NO_ROOM, 0);
        }
        long now = nowMillis.getAsLong();
        Lookup[] out = new Lookup[1];
        states.asMap().compute(key, (k, s) -> {
            if (s == null) {
                // a new state starts with no excess (nginx: *ep = 0)
                out[0] = new Lookup(account ? Outcome.ACCOUNTED : Outcome.AGAIN, 0);
                return account ? new State(0, now) : null;
            }
            long ms = elapsed(now, s.last);
            long excess = Math.max(0, s.excess - rate * ms / 1000 + 1000);
            if (excess > burst) {
                out[0] = new Lookup(Outcome.BUSY, excess);
                return s;
            }
            out[0] = new Lookup(account ? Outcome.ACCOUNTED : Outcome.AGAIN, excess);
            return account ? new State(excess, ms != 0 ? now : s.last) : s;
        });
        return out[0];
    }

    /** nginx's account step for a key that was AGAIN: its excess now, stored. */
    public long account(String key) {
        long now = nowMillis.getAsLong();
        State s = states.asMap().compute(key, (k, old) -> {
            if (old == null) {
                return new State(0, now);
            }
            long ms = elapsed(now, old.last);
            return new State(Math.max(0, old.excess - rate * ms / 1000 + 1000), ms != 0 ? now : old.last);
        });
        return s.excess;
    }

    /** Keys with a state now (the cache's estimate). */
    public long keys() {
        return states.estimatedSize();
    }

    /** nginx's guard against a clock that went back: more than a minute counts as 1 ms. */
    private static long elapsed(long now, long last) {
        long ms = now - last;
        return ms < -60_000 ? 1 : Math.max(ms, 0);
    }

    private static int weight(String key) {
        return ZoneSize.slot(NODE_HEADER, key.length());
    }

    /** A state lives until a minute after its last change and until its excess has drained. */
    private static final class Drained implements Expiry<String, State> {

        private final Memory memory;

        Drained(Memory memory) {
            this.memory = memory;
        }

        @Override
        public long expireAfterCreate(String key, State s, long currentTime) {
            long drainMs = s.excess * 1000 / memory.rate;
            long untilMs = s.last + Math.max(IDLE_MS, drainMs) - TimeUnit.NANOSECONDS.toMillis(currentTime);
            return TimeUnit.MILLISECONDS.toNanos(Math.max(untilMs, 0));
        }

        @Override
        public long expireAfterUpdate(String key, State s, long currentTime, long currentDuration) {
            return expireAfterCreate(key, s, currentTime);
        }

        @Override
        public long expireAfterRead(String key, State s, long currentTime, long currentDuration) {
            return currentDuration;
        }
    }
}
