package corral.proxy.status;

import corral.proxy.forward.FailureKind;
import corral.workers.pool.PoolView;
import java.util.List;

/**
 * What the status listener reads of the running daemon, at scrape or poll time only (never on the
 * request path). The daemon implements it over its supervisor, data path and health state.
 */
public interface Fleet {

    /** Whether {@code /health} may answer 200 ({@code bin/control offline} makes it false). */
    boolean online();

    /** Each running pool's last published picture. */
    List<PoolView> pools();

    /** Each running pool's picture built now, with memory measured now (costlier: once per scrape). */
    List<PoolView> measuredPools();

    /** Requests of pool {@code app} on its instances now. */
    int inFlight(String app);

    /** Error responses of {@code kind} the proxy gave for pool {@code app} so far. */
    long failures(String app, FailureKind kind);

    /** Attempts of pool {@code app} sent again to another instance so far. */
    long retries(String app);

    /** The reloads run so far. */
    ReloadHistory reloads();

    /** The tree {@code bin/control status --json} prints, which the status page polls. */
    Object status();
}
