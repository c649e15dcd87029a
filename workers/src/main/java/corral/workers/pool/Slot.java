package corral.workers.pool;

import corral.workers.process.InstanceView;
import corral.workers.process.Worker;
import corral.workers.process.WorkerState;
import corral.workers.restart.RestartPolicy;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;

/**
 * One instance index of a pool ({@code NODE_APP_INSTANCE}, PM2's {@code pm_id}) and what holds it: the serving (or
 * starting) worker, a replacement being started during a reload, and the restart bookkeeping.
 * Touched only by the pool's loop thread. Its rules: an incoming worker always has a
 * {@link #replacement} future; {@link #settled} is the start's answer and is completed once.
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
    int restarts;
    boolean overMemoryLimit;

    Slot(int index, int pmId) {
        this.index = index;
        this.pmId = pmId;
    }

    /** No worker holds it, none is coming. */
    boolean isEmpty() {
        return current == null && incoming == null;
    }

    /** A fresh start (bin/control start): the restart history and the start's answer begin anew. */
    void beginStart() {
        cancelPendingRestart();
        history = RestartPolicy.History.NONE;
        settled = new CompletableFuture<>();
    }

    /** A reload of this slot begins: its answer is {@link #replacement}. */
    CompletableFuture<Void> beginReplacement() {
        replacement = new CompletableFuture<>();
        return replacement;
    }

    /**
     * The incoming worker became ready: it takes the slot. Returns the worker it replaced (null
     * if none), or {@code w} itself when {@code w} was not the incoming one.
     */
    Worker promote(Worker w) {
        if (incoming != w) {
            return w;
        }
        Worker old = current;
        current = w;
        incoming = null;
        return old;
    }

    /** The slot's worker could not be launched, or gave up restarting: status shows the state. */
    void giveUp(WorkerState state, String reason) {
        emptyState = state;
        settled.completeExceptionally(new StartFailure(reason));
    }

    void cancelPendingRestart() {
        if (pendingRestart != null) {
            pendingRestart.cancel(false);
            pendingRestart = null;
        }
    }

    /** What status shows for the slot while no worker holds it. */
    InstanceView emptyView(String app) {
        return new InstanceView(app, index, 0, 0, 0, 0, emptyState, null, restarts, 0);
    }
}
