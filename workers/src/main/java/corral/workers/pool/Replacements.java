package corral.workers.pool;

import corral.workers.process.Worker;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Graceful replacement of a pool's workers and what asks for it: an operator's reload, a
 * {@code cron_restart} tick, a worker over {@code max_memory_restart}. A new worker takes the slot
 * once it is ready; the old one drains after. Decisions run on the pool's loop.
 */
final class Replacements {

    private static final System.Logger LOG = System.getLogger("corral.pool");

    private final String name;
    private final Slots slots;
    private final Lifecycle lifecycle;
    private final ScheduledExecutorService loop;
    private final Clock clock;
    /** The pool's start, for a reload of a pool that is not running. */
    private final Function<Consumer<String>, CompletableFuture<Void>> start;

    Replacements(String name, Slots slots, Lifecycle lifecycle, ScheduledExecutorService loop, Clock clock,
                 Function<Consumer<String>, CompletableFuture<Void>> start) {
        this.name = name;
        this.slots = slots;
        this.lifecycle = lifecycle;
        this.loop = loop;
        this.clock = clock;
        this.start = start;
    }

    /** See {@link Pool#reload}. */
    CompletableFuture<Void> reload(int parallel, Consumer<String> progress) {
        return onLoop(slots::running).thenCompose(isRunning -> {
            if (!isRunning) {
                progress.accept(name + ": not running, starting it");
                return start.apply(progress);
            }
            return onLoop(slots::indices).thenCompose(indices -> {
                CompletableFuture<Void> chain = CompletableFuture.completedFuture(null);
                int total = indices.size();
                int step = Math.max(1, parallel);
                for (int from = 0; from < total; from += step) {
                    List<Integer> batch = indices.subList(from, Math.min(total, from + step));
                    chain = chain.thenCompose(v -> CompletableFuture.allOf(batch.stream()
                            .map(i -> replace(i, total, progress))
                            .toArray(CompletableFuture[]::new)));
                }
                return chain;
            });
        });
    }

    /** See {@link Pool#replace}. */
    CompletableFuture<Void> replace(int index, int total, Consumer<String> progress) {
        return onLoop(() -> {
            Slot slot = slots.get(index);
            if (slot == null || !slots.running()) {
                return CompletableFuture.<Void>failedFuture(
                        new IllegalStateException(name + ": no instance " + index + " to replace"));
            }
            if (slot.incoming != null) {
                return slot.replacement;
            }
            Instant begun = clock.instant();
            CompletableFuture<Void> replaced = slot.beginReplacement();
            lifecycle.spawnIncoming(slot).ifPresent(fresh ->
                    fresh.ready().thenAccept(w -> progress.accept(readyLine(w, index, total, begun))));
            return replaced;
        }).thenCompose(f -> f);
    }

    /** cron_restart's time: a rolling reload of a running pool, as bin/control reload does it. */
    void onSchedule() {
        if (slots.running()) {
            reload(1, line -> LOG.log(System.Logger.Level.INFO, line)).whenComplete((v, e) -> logFailure("cron_restart reload", e));
        }
    }

    /** The memory watch found these slots' workers over max_memory_restart; on the loop. */
    void overMemory(List<Slot> over) {
        for (Slot slot : over) {
            if (slots.running() && slot.incoming == null) {
                replace(slot.index, slots.size(), line -> LOG.log(System.Logger.Level.INFO, line))
                        .whenComplete((v, e) -> logFailure("memory replacement", e));
            }
        }
    }

    /** "app: instance i/n ready (pid p, t ms)", as start and reload report each instance. */
    String readyLine(Worker w, int index, int total, Instant begun) {
        return String.format("%s: instance %d/%d ready (pid %d, %d ms)", name, index + 1, total, w.pid(),
                Duration.between(begun, clock.instant()).toMillis());
    }

    private void logFailure(String what, Throwable e) {
        if (e != null) {
            LOG.log(System.Logger.Level.ERROR, name + ": " + what + " failed: " + e.getMessage());
        }
    }

    private <T> CompletableFuture<T> onLoop(Supplier<T> work) {
        return CompletableFuture.supplyAsync(work, loop);
    }
}
