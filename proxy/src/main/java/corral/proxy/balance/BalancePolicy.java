package corral.proxy.balance;

import java.util.List;

/**
 * Chooses one instance among candidates that may all take the request. One policy object serves
 * one pool, so a policy may keep per-pool state (a rotation counter); it is called concurrently
 * from every IO thread and must not block.
 */
public interface BalancePolicy {

    /** One of {@code candidates}, which is never empty. */
    Upstream choose(List<Upstream> candidates);
}
