package corral.proxy.balance;

import corral.workers.pool.PoolView;
import corral.workers.process.InstanceView;
import corral.workers.process.WorkerState;
import java.time.Instant;
import java.util.List;

/** Fake instance views for tests of balancing alone. */
final class Instances {
    private Instances() {
    }

    static InstanceView instance(String app, int index, long id, WorkerState state) {
        return new InstanceView(app, index, id, 1000 + id, 0, 20000 + (int) id, state, Instant.EPOCH, 0, 0);
    }

    static InstanceView ready(String app, int index, long id) {
        return instance(app, index, id, WorkerState.READY);
    }

    static PoolView view(String app, InstanceView... instances) {
        return new PoolView(app, instances.length, List.of(instances));
    }
}
