package corral.proxy.health;

import corral.workers.pool.PoolListener;
import corral.workers.pool.PoolView;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the health probe answers from: whether the operator has taken the machine offline, and
 * each pool's ready and configured instance counts (kept current as a pool listener).
 */
public final class Availability implements PoolListener {

    /** One pool's figures. */
    public record PoolHealth(int ready, int configured) {
        public boolean up() {
            return ready > 0;
        }
    }

    private final Map<String, PoolHealth> pools = new ConcurrentHashMap<>();
    private volatile boolean online = true;

    @Override
    public void poolChanged(PoolView view) {
        pools.put(view.app(), new PoolHealth(view.routable().size(), view.configured()));
    }

    /** Forgets a deleted pool: it no longer counts toward health. */
    public void forget(String app) {
        pools.remove(app);
    }

    public void setOnline(boolean value) {
        online = value;
    }

    public boolean online() {
        return online;
    }

    /** True when online and every pool has at least one ready instance. */
    public boolean healthy() {
        return online && !pools.isEmpty() && pools.values().stream().allMatch(PoolHealth::up);
    }

    /** The pools by name, sorted, for the probe's body and for status. */
    public Map<String, PoolHealth> pools() {
        return new TreeMap<>(pools);
    }
}
