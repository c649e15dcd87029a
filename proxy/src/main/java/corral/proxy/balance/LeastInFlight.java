package corral.proxy.balance;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The default policy: the candidate with the fewest requests in flight. Ties are broken round
 * robin (the scan starts one further each time), so an idle pool still spreads its load instead
 * of sending everything to the first instance.
 */
public final class LeastInFlight implements BalancePolicy {
    private final AtomicInteger next = new AtomicInteger();

    @Override
    public Upstream choose(List<Upstream> candidates) {
        int n = candidates.size();
        int start = Math.floorMod(next.getAndIncrement(), n);
        Upstream best = null;
        int bestLoad = Integer.MAX_VALUE;
        for (int i = 0; i < n; i++) {
            Upstream u = candidates.get((start + i) % n);
            int load = u.inFlight();
            if (load < bestLoad) {
                best = u;
                bestLoad = load;
            }
        }
        return best;
    }

    @Override
    public String toString() {
        return "least-in-flight";
    }
}
