package corral.proxy.balance;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** Each candidate in turn, whatever its load: what PM2 cluster mode (Node's cluster module) does. */
public final class RoundRobin implements BalancePolicy {
    private final AtomicInteger next = new AtomicInteger();

    @Override
    public Upstream choose(List<Upstream> candidates) {
        return candidates.get(Math.floorMod(next.getAndIncrement(), candidates.size()));
    }

    @Override
    public String toString() {
        return "round-robin";
    }
}
