package corral.proxy.balance;

import java.util.List;

/**
 * The instances of one pool that take new requests, at one moment. Immutable: the table swaps a
 * whole new snapshot in when membership changes, so a request reads one consistent picture
 * without a lock.
 */
public record PoolSnapshot(String app, List<Upstream> routable) {

    public PoolSnapshot {
        routable = List.copyOf(routable);
    }

    static PoolSnapshot empty(String app) {
        return new PoolSnapshot(app, List.of());
    }
}
