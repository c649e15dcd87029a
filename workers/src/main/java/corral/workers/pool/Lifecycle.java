package corral.workers.pool;

import corral.workers.process.Worker;
import corral.workers.process.WorkerState;
import corral.workers.restart.RestartPolicy;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * A worker's life in its slot, on the pool's loop: spawned, probed until ready (then it serves,
 * or takes the slot from the worker it replaces), and on exit either restarted after the restart
 * policy's delay or given up (stopped or errored).
 */
final class Lifecycle {

    private static final System.Logger LOG = System.getLogger("corral.pool");
    private static final Duration LOGS_DRAIN = Duration.ofSeconds(2);

    private final Slots slots;
    private final PoolContext ctx;
    private final ScheduledExecutorService loop;
    private final Supplier<PoolSettings> settings;
    private final Retirement retirement;
    private final Runnable publish;
    private final Spawner spawner;
    private final ReadinessWatch readiness;

    Lifecycle(Slots slots, PoolContext ctx, ScheduledExecutorService loop, Supplier<PoolSettings> settings,
              Retirement retirement, Runnable publish, Spawner spawner, ReadinessWatch readiness) {
        this.slots = slots;
        this.ctx = ctx;
        this.loop = loop;
        this.settings = settings;
        this.retirement = retirement;
        this.publish = publish;
        this.spawner = spawner;
        this.readiness = readiness;
    }

    /** A worker to serve the empty slot; {@code slot.settled} answers when it is ready or gave up. */
    void spawnCurrent(Slot slot) {
        spawn(slot, false).ifPresent(w -> {
            slot.current = w;
            publish.run();
        });
    }

    /** A replacement for the slot's worker; {@code slot.replacement} answers. */
    Optional<Worker> spawnIncoming(Slot slot) {
        Optional<Worker> fresh = spawn(slot, true);
        fresh.ifPresent(w -> {
            slot.incoming = w;
            publish.run();
        });
        return fresh;
    }

    private Optional<Worker> spawn(Slot slot, boolean asReplacement) {
        Worker w;
        try {
            w = spawner.spawn(settings.get().app(), slot, settings.get().timestamps());
        } catch (StartFailure e) {
            if (asReplacement) {
                slot.replacement.completeExceptionally(e);
            } else {
                slot.giveUp(WorkerState.ERRORED, e.getMessage());
            }
            return Optional.empty();
        }
        // The exit is handled once its pumps have copied what its pipes still hold (one look of the
        // log-pumps thread, woken by the exit; at most LOGS_DRAIN): a give-up's message names the
        // worker's last stderr lines, which the pumps may not have read yet when the process ends.
        w.process().onExit()
                .thenCompose(p -> w.logsClosed().completeOnTimeout(null, LOGS_DRAIN.toMillis(), TimeUnit.MILLISECONDS))
                .thenRun(() -> loop.execute(() -> onExit(w, slot)));
        readiness.watch(w, settings.get().app().listenTimeout(), () -> becameReady(w, slot), () -> notReadyInTime(w));
        return Optional.of(w);
    }

    private void becameReady(Worker w, Slot slot) {
        w.moveTo(WorkerState.READY);
        boolean swapped = slot.incoming == w;
        Worker old = slot.promote(w);
        // Publish before anyone waiting on this instance hears of it: they read the view next.
        publish.run();
        if (swapped) {
            CompletableFuture<Void> replaced = slot.replacement;
            if (old != null) {
                retirement.retire(old, settings.get().app()).whenComplete((code, e) -> replaced.complete(null));
            } else {
                replaced.complete(null);
            }
        }
        if (slot.current == w) {
            slot.settled.complete(w);
        }
    }

    private void notReadyInTime(Worker w) {
        String reason = w.failure("was not ready within listen_timeout " + settings.get().app().listenTimeout().toMillis() + " ms");
        LOG.log(System.Logger.Level.WARNING, reason);
        w.ready().completeExceptionally(new StartFailure(reason));
        w.moveTo(WorkerState.STOPPING);
        ctx.io().execute(w::killTree);
    }

    private void onExit(Worker w, Slot slot) {
        int code = w.process().exitValue();
        WorkerState was = w.state();
        w.moveTo(WorkerState.EXITED);
        retirement.exited(w);
        spawner.released(w);
        ctx.io().execute(w::killTree);
        boolean wasIncoming = slot.incoming == w;
        boolean wasCurrent = slot.current == w;
        if (wasIncoming) {
            slot.incoming = null;
        } else if (wasCurrent) {
            slot.current = null;
            LOG.log(System.Logger.Level.WARNING, w.failure("exited with code " + code + " while " + was));
        }
        if (slots.isLive(slot) && slot.isEmpty() && (wasIncoming || wasCurrent)) {
            restartAfterExit(slot, w, code);
        }
        publish.run();
        // Its stderr tail is complete here: the exit is handled only once the pumps have ended.
        w.ready().completeExceptionally(new StartFailure(w.failure("exited with code " + code + " before it was ready")));
        w.exited().complete(code);
        if (wasIncoming) {
            // Its first failure is the reason (e.g. listen_timeout), not the kill that followed.
            slot.replacement.completeExceptionally(w.ready().handle((ready, first) -> first).join());
        }
    }

    private void restartAfterExit(Slot slot, Worker dead, int code) {
        Duration uptime = Duration.between(dead.startedAt(), ctx.clock().instant());
        RestartPolicy.Decision decision = settings.get().policy().afterExit(code, uptime, slot.history);
        if (decision instanceof RestartPolicy.Decision.Restart r) {
            slot.history = r.history();
            slot.restarts++;
            slot.emptyState = WorkerState.STARTING;
            slot.pendingRestart = loop.schedule(() -> {
                slot.pendingRestart = null;
                if (slots.isLive(slot) && slot.isEmpty()) {
                    spawnCurrent(slot);
                }
            }, r.delay().toMillis(), TimeUnit.MILLISECONDS);
        } else if (decision instanceof RestartPolicy.Decision.Stay s) {
            giveUp(slot, WorkerState.STOPPED, dead, s.reason());
        } else if (decision instanceof RestartPolicy.Decision.Errored e) {
            giveUp(slot, WorkerState.ERRORED, dead, e.reason());
        }
    }

    private void giveUp(Slot slot, WorkerState state, Worker dead, String why) {
        String reason = dead.failure(why);
        LOG.log(System.Logger.Level.ERROR, reason);
        slot.giveUp(state, reason);
    }
}
