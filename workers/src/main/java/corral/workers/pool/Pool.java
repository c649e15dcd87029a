package corral.workers.pool;

import corral.workers.cgroup.PoolCgroup;
import corral.workers.config.AppConfig;
import corral.workers.process.Worker;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The running form of one app: {@code instances} slots, each held by a worker process. Everything
 * a pool holds is owned by one loop thread; public methods post their work to it and answer with
 * futures. Decisions are made on the loop; blocking actions (readiness probes, signals) run on the
 * shared io executor and report back to the loop. Its parts: a worker's life in its slot
 * ({@link Lifecycle}), its way out ({@link Retirement}), graceful replacement ({@link Replacements}),
 * memory and use ({@link MemoryWatch}), the published picture ({@link ViewPublisher}).
 */
public final class Pool {

    private static final System.Logger LOG = System.getLogger("corral.pool");
    private static final Duration TICK = Duration.ofSeconds(1);

    private final PoolContext ctx;
    private final ScheduledExecutorService loop;
    private final Slots slots;
    private final PoolCgroup cgroup;
    private final CronReload cron;
    private final ViewPublisher views;
    private final Retirement retirement;
    private final MemoryWatch memory;
    private final Lifecycle lifecycle;
    private final Replacements replacements;

    // Written on the loop only; volatile so that config() reads it from any thread, also once the
    // loop has ended (a pool being deleted).
    private volatile PoolSettings settings;
    private volatile PoolUsage usage = PoolUsage.NONE;

    public Pool(AppConfig app, PoolContext ctx) {
        this.ctx = ctx;
        this.loop = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "pool-" + app.name());
            t.setDaemon(true);
            return t;
        });
        this.slots = new Slots(ctx.pmIds());
        this.settings = PoolSettings.of(app, ctx.clock());
        this.cgroup = ctx.cgroups().pool(app.name(), app.resources(), app.instances());
        this.views = new ViewPublisher(new PoolView(app.name(), app.instances(), List.of()));
        this.retirement = new Retirement(ctx, loop, this::publish);
        this.memory = new MemoryWatch(cgroup);
        this.lifecycle = new Lifecycle(slots, ctx, loop, () -> settings, retirement, this::publish,
                new Spawner(ctx, cgroup), new ReadinessWatch(loop, ctx.io(), ctx.clock(), () -> settings.readiness()));
        this.replacements = new Replacements(app.name(), slots, lifecycle, loop, ctx.clock(), this::start);
        this.cron = new CronReload(app.name(), loop, ctx.clock(), replacements::onSchedule);
        cron.follow(app.lifecycle().cronRestart());
        loop.scheduleWithFixedDelay(this::tick, 0, TICK.toMillis(), TimeUnit.MILLISECONDS);
    }

    public String name() {
        return app().name();
    }

    /** The last published picture (membership); figures such as RSS may be up to a second old. */
    public PoolView view() {
        return views.view();
    }

    /** A picture built now on the loop, with current memory figures. */
    public PoolView freshView() {
        return onLoop(this::buildView).join();
    }

    /** What the pool used over the last second (CPU) and uses now (memory). */
    public PoolUsage usage() {
        return usage;
    }

    /** Where the pool's cgroup is, or empty text when it runs without one. */
    public String cgroupLocation() {
        return cgroup.location();
    }

    /** The app configuration the pool runs now. */
    public AppConfig config() {
        return app();
    }

    public void addListener(PoolListener listener) {
        views.add(listener);
    }

    /**
     * Starts every slot that has no worker. Completes when each slot has had a ready worker, or
     * fails with the first slot that gave up (errored, or exited with autorestart off).
     */
    public CompletableFuture<Void> start() {
        return start(line -> { });
    }

    /** {@link #start()}, reporting each instance as it becomes ready. */
    public CompletableFuture<Void> start(Consumer<String> progress) {
        return onLoop(() -> {
            slots.running(true);
            Instant begun = ctx.clock().instant();
            int total = app().instances();
            List<CompletableFuture<Worker>> settled = new ArrayList<>();
            for (int i = 0; i < total; i++) {
                Slot slot = slots.obtain(i);
                if (slot.isEmpty()) {
                    slot.beginStart();
                    lifecycle.spawnCurrent(slot);
                    int index = i;
                    // Reported inside the chain, so every line comes before the start completes.
                    settled.add(slot.settled.thenApply(w -> {
                        progress.accept(replacements.readyLine(w, index, total, begun));
                        return w;
                    }));
                } else {
                    settled.add(slot.settled);
                }
            }
            return CompletableFuture.allOf(settled.toArray(CompletableFuture[]::new));
        }).thenCompose(f -> f);
    }

    /**
     * Stops every instance: out of the pool, in-flight requests finish (up to the grace), SIGINT,
     * SIGKILL of the tree after the grace. Completes when every process has exited.
     */
    public CompletableFuture<Void> stop() {
        return onLoop(() -> {
            slots.running(false);
            slots.all().forEach(slot -> retirement.stopSlot(slot, app()));
            publish();
            return retirement.allExited();
        }).thenCompose(f -> f);
    }

    /**
     * Replaces every instance, {@code parallel} at a time: the new one is ready before the old one
     * drains, so the pool never has fewer ready instances than before. Stops at the first new
     * instance that does not get ready; the old instances not yet replaced keep serving.
     */
    public CompletableFuture<Void> reload(int parallel, Consumer<String> progress) {
        return replacements.reload(parallel, progress);
    }

    /**
     * Replaces one instance gracefully: a new worker for the same index starts on a fresh port;
     * once it is ready it takes the slot and the old one is retired. Fails, leaving the old one
     * serving, if the new one exits or is not ready within {@code listen_timeout}.
     */
    public CompletableFuture<Void> replace(int index, int total, Consumer<String> progress) {
        return replacements.replace(index, total, progress);
    }

    /** Changes the instance count: new slots start, surplus ones (highest indices) stop. */
    public CompletableFuture<Void> scale(int instances) {
        return onLoop(() -> {
            configure(app().withInstances(instances));
            List<CompletableFuture<?>> waits = new ArrayList<>();
            for (int index : slots.indices()) {
                if (index >= instances) {
                    waits.addAll(retirement.retireSlot(slots.remove(index), app()));
                }
            }
            if (slots.running()) {
                for (int i = 0; i < instances; i++) {
                    Slot slot = slots.obtain(i);
                    if (slot.isEmpty() && slot.pendingRestart == null) {
                        slot.settled = new CompletableFuture<>();
                        lifecycle.spawnCurrent(slot);
                    }
                    waits.add(slot.settled);
                }
            }
            publish();
            return CompletableFuture.allOf(waits.toArray(CompletableFuture[]::new));
        }).thenCompose(f -> f);
    }

    /** Takes a new configuration for this app; running instances keep theirs until replaced. */
    public CompletableFuture<Void> reconfigure(AppConfig next) {
        return onLoop(() -> {
            configure(next);
            return null;
        });
    }

    /** Stops everything, removes the pool's cgroup and ends the loop; for daemon shutdown and delete. */
    public CompletableFuture<Void> close() {
        loop.execute(cron::cancel);
        return stop().whenCompleteAsync((v, e) -> cgroup.removeWhenEmpty().ifPresent(why ->
                        LOG.log(System.Logger.Level.WARNING, name() + ": cgroup left behind: " + why)), ctx.io())
                .whenComplete((v, e) -> loop.shutdown());
    }

    // ---- loop-thread internals ------------------------------------------------------------

    private AppConfig app() {
        return settings.app();
    }

    /** Takes {@code next}; the cgroup's limits are written again when they or the instance count change. */
    private void configure(AppConfig next) {
        AppConfig before = settings.app();
        settings = PoolSettings.of(next, ctx.clock());
        cron.follow(next.lifecycle().cronRestart());
        if (!next.resources().equals(before.resources()) || next.instances() != before.instances()) {
            try {
                cgroup.apply(next.resources(), next.instances());
            } catch (IOException e) {
                LOG.log(System.Logger.Level.ERROR, name() + ": its cgroup's new limits are not applied: " + e.getMessage());
            }
        }
    }

    /** Once a second: memory (max_memory_restart replaces a worker over it) and the pool's use. */
    private void tick() {
        MemoryWatch.Reading reading = memory.tick(slots.all(), retirement.living(), app().maxMemoryBytes(),
                ctx.clock().millis());
        usage = reading.usage();
        replacements.overMemory(reading.overLimit());
    }

    private void publish() {
        views.publish(buildView());
    }

    private PoolView buildView() {
        return ViewPublisher.build(app().name(), app().instances(), slots.all(), retirement.living());
    }

    private <T> CompletableFuture<T> onLoop(Supplier<T> work) {
        return CompletableFuture.supplyAsync(work, loop);
    }
}
