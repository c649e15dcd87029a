package corral.workers.pool;

import corral.workers.config.AppConfig;
import corral.workers.process.InstanceView;
import corral.workers.process.Worker;
import corral.workers.process.WorkerState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Takes workers out of a pool: out of routing, in-flight requests finished (up to the grace),
 * SIGINT or the shutdown message, then SIGKILL of the tree if it is still there after the grace.
 * Keeps the workers on their way out until they exit, for status and for "all exited". Touched
 * only by the pool's loop thread.
 */
final class Retirement {

    private static final System.Logger LOG = System.getLogger("corral.pool");

    private final PoolContext ctx;
    private final ScheduledExecutorService loop;
    private final Runnable publish;
    private final Set<Worker> retiring = new LinkedHashSet<>();

    Retirement(PoolContext ctx, ScheduledExecutorService loop, Runnable publish) {
        this.ctx = ctx;
        this.loop = loop;
        this.publish = publish;
    }

    /** Stops the worker as {@code app} says (grace, shutdown message); completes with its exit code. */
    CompletableFuture<Integer> retire(Worker w, AppConfig app) {
        retiring.add(w);
        Duration grace = app.killTimeout();
        boolean withMessage = app.lifecycle().shutdownWithMessage();
        if (w.state() == WorkerState.STARTING) {
            w.ready().completeExceptionally(new StartFailure(w + " was stopped before it was ready"));
            interrupt(w, grace, withMessage);
        } else if (w.state() == WorkerState.READY) {
            w.moveTo(WorkerState.DRAINING);
            publish.run();
            InstanceView seen = w.view();
            ctx.drain().awaitIdle(seen, grace).whenCompleteAsync((v, e) -> {
                if (w.state() == WorkerState.DRAINING) {
                    interrupt(w, grace, withMessage);
                }
            }, loop);
        }
        return w.exited();
    }

    /** Takes the slot's workers out and stops them; returns their exits. */
    List<CompletableFuture<Integer>> retireSlot(Slot slot, AppConfig app) {
        List<CompletableFuture<Integer>> exits = new ArrayList<>();
        slot.cancelPendingRestart();
        if (slot.incoming != null) {
            exits.add(retire(slot.incoming, app));
            slot.replacement.completeExceptionally(new IllegalStateException(app.name() + ": stopped during reload"));
            slot.incoming = null;
        }
        if (slot.current != null) {
            exits.add(retire(slot.current, app));
            slot.current = null;
        }
        return exits;
    }

    /** The pool stops: the slot's workers go, it shows "stopped", a start still waiting on it fails. */
    void stopSlot(Slot slot, AppConfig app) {
        retireSlot(slot, app);
        slot.emptyState = WorkerState.STOPPED;
        slot.settled.completeExceptionally(new IllegalStateException(app.name() + "[" + slot.index + "]: stopped"));
    }

    /** The worker has exited: it is no longer on its way out. */
    void exited(Worker w) {
        retiring.remove(w);
    }

    /** The workers on their way out that still have a process. */
    Stream<Worker> living() {
        return retiring.stream().filter(w -> w.state().hasProcess());
    }

    CompletableFuture<Void> allExited() {
        return CompletableFuture.allOf(retiring.stream().map(Worker::exited).toArray(CompletableFuture[]::new));
    }

    private void interrupt(Worker w, Duration grace, boolean withMessage) {
        w.moveTo(WorkerState.STOPPING);
        publish.run();
        ctx.io().execute(() -> w.interrupt(withMessage));
        loop.schedule(() -> {
            if (w.state() == WorkerState.STOPPING) {
                LOG.log(System.Logger.Level.WARNING, w + " still running " + grace.toMillis() + " ms after "
                        + (withMessage ? "the shutdown message" : "SIGINT") + ": SIGKILL to its process tree");
                ctx.io().execute(w::killTree);
            }
        }, grace.toMillis(), TimeUnit.MILLISECONDS);
    }
}
