package corral.proxy.balance;

import corral.workers.pool.DrainGate;
import corral.workers.pool.PoolListener;
import corral.workers.pool.PoolView;
import corral.workers.process.InstanceView;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Every pool's routable instances, as the proxy sees them. It is the {@link PoolListener} of all
 * pools (membership comes only from the supervisor) and their {@link DrainGate}: a retired
 * instance is reported idle the moment its in-flight count reaches zero, or at the caller's limit.
 *
 * <p>The request path ({@link #pick}) reads a volatile snapshot and takes no lock; membership
 * changes take a per-pool lock that requests never touch.
 */
public final class PoolTable implements PoolListener, DrainGate {
    private final Function<String, BalancePolicy> policies;
    private final UpstreamListener listener;
    private final ScheduledExecutorService timer;
    private final Clock clock;
    private final ConcurrentHashMap<String, Members> pools = new ConcurrentHashMap<>();

    /**
     * @param policies the balancing policy of each pool, asked once per pool when it first appears
     * @param listener told when an upstream appears, retires and goes
     * @param timer    runs the {@code max} deadline of {@link #awaitIdle}
     * @param clock    times the back-off of {@link #markDown}
     */
    public PoolTable(Function<String, BalancePolicy> policies, UpstreamListener listener,
                     ScheduledExecutorService timer, Clock clock) {
        this.policies = Objects.requireNonNull(policies, "policies");
        this.listener = Objects.requireNonNull(listener, "listener");
        this.timer = Objects.requireNonNull(timer, "timer");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public void poolChanged(PoolView view) {
        members(view.app()).update(view);
    }

    /**
     * Assigns a request to an instance of {@code app} not in {@code tried}: the policy chooses
     * among the instances not marked down, or among the down ones if that is all there is.
     * Returns null when no routable instance is left.
     */
    public Upstream.Lease pick(String app, List<Upstream> tried) {
        Members pool = pools.get(app);
        if (pool == null) {
            return null;
        }
        List<Upstream> skip = tried;
        // Each round either succeeds or skips one instance that was retired meanwhile.
        while (true) {
            Upstream chosen = choose(pool, skip);
            if (chosen == null) {
                return null;
            }
            Upstream.Lease lease = chosen.acquire();
            if (lease != null) {
                return lease;
            }
            skip = new ArrayList<>(skip);
            skip.add(chosen);
        }
    }

    /** Whether {@code app} has a routable instance not in {@code tried}; nothing is assigned. */
    public boolean hasUntried(String app, List<Upstream> tried) {
        Members pool = pools.get(app);
        return pool != null && pool.snapshot.routable().stream().anyMatch(u -> !tried.contains(u));
    }

    /**
     * Whether {@code app} has a routable instance not set aside by {@link #markDown}: a server of
     * a {@link ServerGroup} without one is passed over, as nginx passes over a failed server.
     */
    public boolean hasLive(String app) {
        Members pool = pools.get(app);
        if (pool == null) {
            return false;
        }
        long now = clock.millis();
        return pool.snapshot.routable().stream().anyMatch(u -> !u.isDown(now));
    }

    private Upstream choose(Members pool, List<Upstream> skip) {
        List<Upstream> routable = pool.snapshot.routable();
        long now = clock.millis();
        if (skip.isEmpty() && noneDown(routable, now)) {
            // a first attempt with every instance up: the snapshot is the candidate list as it is
            // (two lists a request otherwise, issue 12)
            return routable.isEmpty() ? null : pool.policy.choose(routable);
        }
        List<Upstream> up = new ArrayList<>(routable.size());
        List<Upstream> down = new ArrayList<>(0);
        for (Upstream u : routable) {
            if (!skip.contains(u)) {
                (u.isDown(now) ? down : up).add(u);
            }
        }
        if (!up.isEmpty()) {
            return pool.policy.choose(up);
        }
        return down.isEmpty() ? null : pool.policy.choose(down);
    }

    private static boolean noneDown(List<Upstream> routable, long now) {
        for (int i = 0; i < routable.size(); i++) {
            if (routable.get(i).isDown(now)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Puts an upstream at the back of the queue for {@code duration} after a connect failure, as
     * nginx's {@code fail_timeout} does: it is chosen only if every other candidate is down too.
     */
    public void markDown(Upstream upstream, Duration duration) {
        upstream.downUntil(clock.millis() + duration.toMillis());
    }

    /** Clears {@link #markDown} after a successful connect. */
    public void markUp(Upstream upstream) {
        if (upstream.isDown(clock.millis())) {
            upstream.downUntil(0);
        }
    }

    /**
     * Completes once {@code instance} has no request in flight, or after {@code max}. The instance
     * stops getting new requests from this call on, whatever its last published state.
     */
    @Override
    public CompletableFuture<Void> awaitIdle(InstanceView instance, Duration max) {
        Members pool = pools.get(instance.app());
        Upstream upstream = pool == null ? null : pool.retire(instance.id());
        if (upstream == null) {
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        upstream.idle().thenRun(() -> done.complete(null));
        if (!done.isDone()) {
            ScheduledFuture<?> deadline = timer.schedule(() -> done.complete(null), max.toMillis(), TimeUnit.MILLISECONDS);
            done.whenComplete((v, e) -> deadline.cancel(false));
        }
        return done;
    }

    /** The current snapshot of {@code app}; empty for a pool never seen. */
    public PoolSnapshot snapshot(String app) {
        Members pool = pools.get(app);
        return pool == null ? PoolSnapshot.empty(app) : pool.snapshot;
    }

    /** Requests in flight on every instance of {@code app}, routable or draining. */
    public int inFlight(String app) {
        Members pool = pools.get(app);
        return pool == null ? 0 : pool.load.get();
    }

    /** Every pool seen so far. */
    public Set<String> apps() {
        return Set.copyOf(pools.keySet());
    }

    /** Per-instance counts of {@code app} for status, routable and draining, by index. */
    public List<UpstreamStatus> status(String app) {
        Members pool = pools.get(app);
        return pool == null ? List.of() : pool.status(clock.millis());
    }

    private Members members(String app) {
        return pools.computeIfAbsent(app, a -> new Members(a, policies.apply(a)));
    }

    /**
     * One pool's upstreams. Fields other than {@code snapshot} and {@code load} are guarded by
     * the object's monitor, which only membership changes and status take.
     */
    private final class Members {
        final String app;
        final BalancePolicy policy;
        final AtomicInteger load = new AtomicInteger();
        final Map<Long, Upstream> byId = new HashMap<>();
        volatile PoolSnapshot snapshot;

        Members(String app, BalancePolicy policy) {
            this.app = app;
            this.policy = Objects.requireNonNull(policy, "policy for " + app);
            this.snapshot = PoolSnapshot.empty(app);
        }

        synchronized void update(PoolView view) {
            Set<Long> ready = new HashSet<>();
            Set<Long> alive = new HashSet<>();
            for (InstanceView i : view.instances()) {
                if (i.state().hasProcess()) {
                    alive.add(i.id());
                }
                if (i.state().routable() && i.port() > 0) {
                    ready.add(i.id());
                    byId.computeIfAbsent(i.id(), id -> added(i));
                }
            }
            List<Upstream> gone = new ArrayList<>();
            for (Upstream u : byId.values()) {
                if (!ready.contains(u.id())) {
                    retire(u);
                }
                if (!alive.contains(u.id()) && !ready.contains(u.id())) {
                    gone.add(u);
                }
            }
            for (Upstream u : gone) {
                byId.remove(u.id());
                listener.removed(u);
            }
            publish();
        }

        synchronized Upstream retire(long id) {
            Upstream u = byId.get(id);
            if (u != null && !u.retired()) {
                retire(u);
                publish();
            }
            return u;
        }

        synchronized List<UpstreamStatus> status(long now) {
            return byId.values().stream()
                    .sorted(Comparator.comparingInt(Upstream::index).thenComparingLong(Upstream::id))
                    .map(u -> new UpstreamStatus(u.index(), u.id(), u.pid(), u.port(), !u.retired(),
                            u.isDown(now), u.inFlight(), u.requests()))
                    .toList();
        }

        private Upstream added(InstanceView instance) {
            Upstream u = new Upstream(instance, load);
            listener.added(u);
            return u;
        }

        private void retire(Upstream u) {
            if (!u.retired()) {
                u.retire();
                listener.retired(u);
            }
        }

        private void publish() {
            List<Upstream> routable = byId.values().stream()
                    .filter(u -> !u.retired())
                    .sorted(Comparator.comparingInt(Upstream::index).thenComparingLong(Upstream::id))
                    .toList();
            snapshot = new PoolSnapshot(app, routable);
        }
    }
}
