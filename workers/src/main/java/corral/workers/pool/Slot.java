package corral.workers.pool;

import corral.workers.process.Worker;
import corral.workers.process.WorkerState;
import corral.workers.restart.RestartPolicy;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;

/**
 * One instance index of a pool ({@code NODE_APP_INSTANCE}, PM2's {@code pm_id}) and what holds it: the serving (or
 * starting) worker, a replacement being started during a reload, and the restart bookkeeping.
 * Touched only by the pool's loop thread.
 */
final class Slot {

    final int index;
    /** PM2's {@code pm_id}: unique in the daemon, kept by every worker that holds this slot. */
    final int pmId;
    /** PM2's {@code unique_id}: kept across restarts and reloads, as PM2 keeps it per process entry. */
    final UUID uniqueId = UUID.randomUUID();
    Worker current;
    Worker incoming;
    /** Completes when the replacement is serving and the worker it replaced has exited. */
    CompletableFuture<Void> replacement;
    /** Completes when the slot first has a ready worker after a start; fails if it gives up. */
    CompletableFuture<Worker> settled = new CompletableFuture<>();
    RestartPolicy.History history = RestartPolicy.History.NONE;
    ScheduledFuture<?> pendingRestart;
    /** What status shows while no worker holds the slot. */
    WorkerState emptyState = WorkerState.STOPPED;
    String lastError;
    int restarts;
    boolean overMemoryLimit;

    Slot(int index, int pmId) {
        this.index = index;
        this.pmId = pmId;
    }

    void cancelPendingRestart() {
        if (pendingRestart != null) {
            pendingRestart.cancel(false);
            pendingRestart = null;
        }
    }
}
