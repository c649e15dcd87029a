package corral.proxy.forward;

import corral.proxy.balance.BalancePolicy;
import corral.proxy.balance.Upstream;
import java.util.Comparator;
import java.util.List;

/** A test policy that makes the order of attempts certain: the lowest index not tried yet. */
final class LowestIndexFirst implements BalancePolicy {
    @Override
    public Upstream choose(List<Upstream> candidates) {
        return candidates.stream().min(Comparator.comparingInt(Upstream::index)).orElseThrow();
    }
}
