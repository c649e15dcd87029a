package corral.proxy.health;

import corral.workers.pool.PoolListener;
import corral.workers.pool.PoolView;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the health probe answers from: whether the operator has taken the machine, or one app,
 * offline; which apps the configuration defines; and each pool's ready and configured instance
 * counts (kept current as a pool listener). Read by every probe without a lock.
 */
public final class Availability implements PoolListener {

    /** One pool's figures. */
    public record PoolHealth(int ready, int configured) {
        public boolean up() {
            return ready > 0;
        }
    }

    /** What the probe says of one app. */
    public enum AppState {
        /** Online, with at least one ready instance. */
        UP,
        /** Taken out by {@code bin/control offline <app>}; its traffic is still served. */
        OFFLINE,
        /** Known but no ready instance (stopped, deleted, crashing, not started yet). */
        DOWN,
        /** Neither in the configuration nor running. */
        UNKNOWN
    }

    private final Map<String, PoolHealth> pools = new ConcurrentHashMap<>();
    private final Set<String> offlineApps = ConcurrentHashMap.newKeySet();
    private volatile Set<String> configured = Set.of();
    private volatile boolean online = true;

    @Override
    public void poolChanged(PoolView view) {
        pools.put(view.app(), new PoolHealth(view.routable().size(), view.configured()));
    }

    /** The apps the running configuration defines (a probe of another app is a 404). */
    public void configure(Set<String> apps) {
        configured = Set.copyOf(apps);
    }

    /** Forgets a deleted pool: its health is down until it runs again. */
    public void forget(String app) {
        pools.remove(app);
    }

    public void setOnline(boolean value) {
        online = value;
    }

    public boolean online() {
        return online;
    }

    /** Takes one app out of (or back into) every probe that answers for it. */
    public void setOnline(String app, boolean value) {
        if (value) {
            offlineApps.remove(app);
        } else {
            offlineApps.add(app);
        }
    }

    /** The apps taken offline one by one, sorted. */
    public Set<String> offlineApps() {
        return new TreeSet<>(offlineApps);
    }

    /** True when online and every pool has at least one ready instance. */
    public boolean healthy() {
        return online && !pools.isEmpty() && pools.values().stream().allMatch(PoolHealth::up);
    }

    /** True when the machine is online and each of {@code apps} is {@link AppState#UP}. */
    public boolean healthy(Collection<String> apps) {
        return online && apps.stream().allMatch(a -> state(a) == AppState.UP);
    }

    public AppState state(String app) {
        PoolHealth pool = pools.get(app);
        if (pool == null && !configured.contains(app)) {
            return AppState.UNKNOWN;
        }
        if (offlineApps.contains(app)) {
            return AppState.OFFLINE;
        }
        return pool != null && pool.up() ? AppState.UP : AppState.DOWN;
    }

    /** The app's figures; zero ready of zero when it has no pool. */
    public PoolHealth pool(String app) {
        return pools.getOrDefault(app, new PoolHealth(0, 0));
    }

    /** Every app the probe knows (configured or running), sorted. */
    public Set<String> apps() {
        Set<String> all = new TreeSet<>(configured);
        all.addAll(pools.keySet());
        return all;
    }
}
