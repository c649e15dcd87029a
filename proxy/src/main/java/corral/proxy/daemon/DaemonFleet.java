package corral.proxy.daemon;

import corral.proxy.forward.FailureKind;
import corral.proxy.health.Availability;
import corral.proxy.status.Fleet;
import corral.proxy.status.ReloadHistory;
import corral.workers.pool.Pool;
import corral.workers.pool.PoolView;
import corral.workers.supervisor.Supervisor;
import java.util.List;
import java.util.function.Supplier;

/** The daemon as the status listener sees it: read-only views of its parts. */
record DaemonFleet(Availability availability, Supervisor supervisor, DataPath dataPath, ReloadHistory reloads,
                   Supplier<Object> statusTree) implements Fleet {

    @Override
    public boolean online() {
        return availability.online();
    }

    @Override
    public List<PoolView> pools() {
        return supervisor.pools().stream().map(Pool::view).toList();
    }

    @Override
    public List<PoolView> measuredPools() {
        return supervisor.pools().stream().map(Pool::freshView).toList();
    }

    @Override
    public int inFlight(String app) {
        return dataPath.inFlight(app);
    }

    @Override
    public long failures(String app, FailureKind kind) {
        return dataPath.errors(app, kind);
    }

    @Override
    public long retries(String app) {
        return dataPath.retries(app);
    }

    @Override
    public Object status() {
        return statusTree.get();
    }
}
