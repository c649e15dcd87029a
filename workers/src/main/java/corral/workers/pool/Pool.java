package corral.workers.pool;

import corral.workers.cgroup.PoolCgroup;
import corral.workers.config.AppConfig;
import corral.workers.ipc.Channel;
import corral.workers.logs.LineTail;
import corral.workers.logs.LogFiles;
import corral.workers.logs.StreamPump;
import corral.workers.logs.TimestampFormat;
import corral.workers.proc.ProcFs;
import corral.workers.proc.ProcessTree;
import corral.workers.process.InstanceView;
import corral.workers.process.Worker;
import corral.workers.process.WorkerState;
import corral.workers.readiness.ReadinessCheck;
import corral.workers.restart.RestartPolicy;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The running form of one app: {@code instances} slots, each held by a worker process. Every
 * field below is owned by one loop thread; public methods post their work to it and answer with
 * futures. Decisions are made on the loop; blocking actions (readiness probes, signals) run on the
 * shared io executor and report back to the loop.
 */
public final class Pool {

    private static final System.Logger LOG = System.getLogger("corral.pool");
    private static final Duration PROBE_INTERVAL = Duration.ofMillis(50);
    private static final Duration MEMORY_INTERVAL = Duration.ofSeconds(1);
    private static final Duration LOGS_DRAIN = Duration.ofSeconds(2);
    private static final int CGROUP_REMOVE_TRIES = 20;

    private final PoolContext ctx;
    private final ScheduledExecutorService loop;
    private final List<PoolListener> listeners = new CopyOnWriteArrayList<>();
    private final TreeMap<Integer, Slot> slots = new TreeMap<>();
    private final Set<Worker> retiring = new LinkedHashSet<>();
    private final PoolCgroup cgroup;
    private final UsageMeter meter = new UsageMeter();
    private final CronReload cron;

    // Written on the loop only; volatile so that config() reads it from any thread, also once the
    // loop has ended (a pool being deleted).
    private volatile AppConfig app;
    private RestartPolicy policy;
    private ReadinessCheck readiness;
    private TimestampFormat timestamps;
    private boolean running;
    private volatile PoolView view;
    private volatile PoolUsage usage = PoolUsage.NONE;

    public Pool(AppConfig app, PoolContext ctx) {
        this.ctx = ctx;
        this.loop = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "pool-" + app.name());
            t.setDaemon(true);
            return t;
        });
        this.cron = new CronReload(app.name(), loop, ctx.clock(), this::reloadOnSchedule);
        configure(app);
        this.cgroup = ctx.cgroups().pool(app.name(), app.resources(), app.instances());
        this.view = new PoolView(app.name(), app.instances(), List.of());
        loop.scheduleWithFixedDelay(this::checkMemory, MEMORY_INTERVAL.toMillis(),
                MEMORY_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
        loop.scheduleWithFixedDelay(this::measureUsage, 0, MEMORY_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
    }

    public String name() {
        return app.name();
    }

    /** The last published picture (membership); figures such as RSS may be up to a second old. */
    public PoolView view() {
        return view;
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
        return app;
    }

    public void addListener(PoolListener listener) {
        listeners.add(listener);
        listener.poolChanged(view);
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
            running = true;
            Instant begun = ctx.clock().instant();
            int total = app.instances();
            List<CompletableFuture<Worker>> settled = new ArrayList<>();
            for (int i = 0; i < total; i++) {
                Slot slot = slots.computeIfAbsent(i, index -> new Slot(index, ctx.pmIds().getAndIncrement()));
                if (slot.current == null && slot.incoming == null) {
                    slot.cancelPendingRestart();
                    slot.history = RestartPolicy.History.NONE;
                    slot.settled = new CompletableFuture<>();
                    spawnCurrent(slot);
                    int index = i;
                    // Reported inside the chain, so every line comes before the start completes.
                    settled.add(slot.settled.thenApply(w -> {
                        progress.accept(String.format("%s: instance %d/%d ready (pid %d, %d ms)", name(), index + 1,
                                total, w.pid(), Duration.between(begun, ctx.clock().instant()).toMillis()));
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
            running = false;
            for (Slot slot : slots.values()) {
                emptySlot(slot, WorkerState.STOPPED, "stopped");
            }
            publish();
            return allExited();
        }).thenCompose(f -> f);
    }

    /**
     * Replaces every instance, {@code parallel} at a time: the new one is ready before the old one
     * drains, so the pool never has fewer ready instances than before. Stops at the first new
     * instance that does not get ready; the old instances not yet replaced keep serving.
     */
    public CompletableFuture<Void> reload(int parallel, Consumer<String> progress) {
        return onLoop(() -> running).thenCompose(isRunning -> {
            if (!isRunning) {
                progress.accept(name() + ": not running, starting it");
                return start(progress);
            }
            return onLoop(() -> List.copyOf(slots.keySet())).thenCompose(indices -> {
                CompletableFuture<Void> chain = CompletableFuture.completedFuture(null);
                int total = indices.size();
                for (int from = 0; from < total; from += Math.max(1, parallel)) {
                    List<Integer> batch = indices.subList(from, Math.min(total, from + Math.max(1, parallel)));
                    chain = chain.thenCompose(v -> CompletableFuture.allOf(batch.stream()
                            .map(i -> replace(i, total, progress))
                            .toArray(CompletableFuture[]::new)));
                }
                return chain;
            });
        });
    }

    /**
     * Replaces one instance gracefully: a new worker for the same index starts on a fresh port;
     * once it is ready it takes the slot and the old one is retired. Fails, leaving the old one
     * serving, if the new one exits or is not ready within {@code listen_timeout}.
     */
    public CompletableFuture<Void> replace(int index, int total, Consumer<String> progress) {
        return onLoop(() -> {
            Slot slot = slots.get(index);
            if (slot == null || !running) {
                return CompletableFuture.<Void>failedFuture(
                        new IllegalStateException(name() + ": no instance " + index + " to replace"));
            }
            if (slot.incoming != null) {
                return slot.replacement;
            }
            Instant begun = ctx.clock().instant();
            slot.replacement = new CompletableFuture<>();
            Worker fresh = spawn(slot, true);
            if (fresh == null) {
                return slot.replacement;
            }
            slot.incoming = fresh;
            publish();
            fresh.ready().thenAccept(w -> progress.accept(String.format("%s: instance %d/%d ready (pid %d, %d ms)",
                    name(), index + 1, total, w.pid(),
                    Duration.between(begun, ctx.clock().instant()).toMillis())));
            return slot.replacement;
        }).thenCompose(f -> f);
    }

    /** Changes the instance count: new slots start, surplus ones (highest indices) stop. */
    public CompletableFuture<Void> scale(int instances) {
        return onLoop(() -> {
            boolean changed = instances != app.instances();
            configure(app.withInstances(instances));
            if (changed) {
                applyLimits(app);
            }
            List<CompletableFuture<?>> waits = new ArrayList<>();
            for (Integer index : List.copyOf(slots.keySet())) {
                if (index >= instances) {
                    Slot slot = slots.remove(index);
                    waits.addAll(retireSlot(slot));
                }
            }
            if (running) {
                for (int i = 0; i < instances; i++) {
                    Slot slot = slots.computeIfAbsent(i, index -> new Slot(index, ctx.pmIds().getAndIncrement()));
                    if (slot.current == null && slot.incoming == null && slot.pendingRestart == null) {
                        slot.settled = new CompletableFuture<>();
                        spawnCurrent(slot);
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
            boolean limitsChanged = !next.resources().equals(app.resources()) || next.instances() != app.instances();
            configure(next);
            if (limitsChanged) {
                applyLimits(next);
            }
            return null;
        });
    }

    /** Stops everything, removes the pool's cgroup and ends the loop; for daemon shutdown and delete. */
    public CompletableFuture<Void> close() {
        loop.execute(cron::cancel);
        return stop().whenCompleteAsync((v, e) -> removeCgroup(), ctx.io())
                .whenComplete((v, e) -> loop.shutdown());
    }

    // ---- loop-thread internals ------------------------------------------------------------

    private void configure(AppConfig next) {
        this.app = next;
        cron.follow(next.lifecycle().cronRestart());
        this.policy = RestartPolicy.forApp(next);
        this.readiness = ReadinessCheck.forApp(next);
        this.timestamps = next.logDateFormat().map(f -> TimestampFormat.ofDayjs(f, ctx.clock())).orElse(null);
    }

    /** cron_restart's time: a rolling reload of a running pool, as bin/control reload does it. */
    private void reloadOnSchedule() {
        if (!running) {
            return;
        }
        Consumer<String> progress = line -> LOG.log(System.Logger.Level.INFO, line);
        reload(1, progress).whenComplete((v, e) -> {
            if (e != null) {
                LOG.log(System.Logger.Level.ERROR, name() + ": cron_restart reload failed: " + e.getMessage());
            }
        });
    }

    private void spawnCurrent(Slot slot) {
        Worker w = spawn(slot, false);
        if (w != null) {
            slot.current = w;
            publish();
        }
    }

    /** Starts a process for the slot; null if it could not even be launched (already handled). */
    private Worker spawn(Slot slot, boolean asReplacement) {
        int port = ctx.ports().acquire();
        long id = ctx.ids().incrementAndGet();
        Optional<Channel> channel = app.runsOnNode()
                ? ctx.channels().map(c -> c.open(id, app.name() + "[" + slot.index + "] (worker " + id + ")"))
                : Optional.empty();
        InstanceStart start = InstanceStart.of(app, ctx, slot, port, channel);
        Process process;
        try {
            process = ctx.launcher().launch(start.command(), app.cwd(), start.env(), app.resources().cpus());
        } catch (IOException e) {
            ctx.ports().release(port);
            closeChannel(channel);
            String reason = name() + "[" + slot.index + "]: cannot start " + String.join(" ", app.command())
                    + ": " + e.getMessage();
            LOG.log(System.Logger.Level.ERROR, reason);
            if (asReplacement) {
                slot.replacement.completeExceptionally(new StartFailure(reason));
            } else {
                slot.emptyState = WorkerState.ERRORED;
                slot.lastError = reason;
                slot.settled.completeExceptionally(new StartFailure(reason));
            }
            return null;
        }
        admitToCgroup(slot, process.pid());
        LineTail tail = new LineTail(5);
        Worker w = new Worker(app.name(), slot.index, id, port, process,
                ctx.clock().instant(), slot.restarts, tail, channel);
        LogFiles logs = ctx.logs();
        w.pumping(
                new StreamPump(process.getInputStream(), logs.fileFor(app, slot.index, LogFiles.Stream.OUT), timestamps, null)
                        .start("log-" + w + "-out"),
                new StreamPump(process.getErrorStream(), logs.fileFor(app, slot.index, LogFiles.Stream.ERROR), timestamps, tail)
                        .start("log-" + w + "-err"));
        process.onExit().thenRun(() -> loop.execute(() -> onExit(w, slot)));
        Instant deadline = ctx.clock().instant().plus(app.listenTimeout());
        loop.execute(() -> probe(w, slot, deadline));
        return w;
    }

    private void probe(Worker w, Slot slot, Instant deadline) {
        if (w.state() != WorkerState.STARTING) {
            return;
        }
        ReadinessCheck check = readiness;
        CompletableFuture.supplyAsync(() -> check.isReady(w), ctx.io())
                .thenAcceptAsync(ready -> {
                    if (w.state() != WorkerState.STARTING) {
                        return;
                    }
                    if (ready) {
                        becameReady(w, slot);
                    } else if (ctx.clock().instant().isAfter(deadline)) {
                        notReadyInTime(w);
                    } else {
                        loop.schedule(() -> probe(w, slot, deadline), PROBE_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
                    }
                }, loop);
    }

    private void becameReady(Worker w, Slot slot) {
        w.moveTo(WorkerState.READY);
        Worker old = null;
        boolean swapped = slot.incoming == w;
        if (swapped) {
            old = slot.current;
            slot.current = w;
            slot.incoming = null;
        }
        if (slot.current == w) {
            slot.lastError = null;
        }
        // Publish before anyone waiting on this instance hears of it: they read the view next.
        publish();
        if (swapped) {
            CompletableFuture<Void> replaced = slot.replacement;
            if (old != null) {
                retire(old).whenComplete((code, e) -> replaced.complete(null));
            } else {
                replaced.complete(null);
            }
        }
        if (slot.current == w) {
            slot.settled.complete(w);
        }
    }

    private void notReadyInTime(Worker w) {
        String reason = failureText(w, "was not ready within listen_timeout " + app.listenTimeout().toMillis() + " ms");
        LOG.log(System.Logger.Level.WARNING, reason);
        w.ready().completeExceptionally(new StartFailure(reason));
        w.moveTo(WorkerState.STOPPING);
        ctx.io().execute(w::killTree);
    }

    private void onExit(Worker w, Slot slot) {
        int code = w.process().exitValue();
        WorkerState was = w.state();
        w.moveTo(WorkerState.EXITED);
        retiring.remove(w);
        ctx.ports().release(w.port());
        closeChannel(w.channel());
        ctx.io().execute(w::killTree);
        boolean wasIncoming = slot.incoming == w;
        boolean wasCurrent = slot.current == w;
        boolean slotLive = running && slots.get(slot.index) == slot;
        if (wasIncoming) {
            slot.incoming = null;
        } else if (wasCurrent) {
            slot.current = null;
            LOG.log(System.Logger.Level.WARNING, failureText(w, "exited with code " + code + " while " + was));
        }
        if (slotLive && slot.current == null && slot.incoming == null && (wasIncoming || wasCurrent)) {
            restartAfterExit(slot, w, code);
        }
        publish();
        // Its stderr tail is complete, and its last lines are in their files, once the pumps end;
        // a grandchild holding the pipes open must not hold the stop up for long.
        w.logsClosed().completeOnTimeout(null, LOGS_DRAIN.toMillis(), TimeUnit.MILLISECONDS)
                .whenCompleteAsync((v, e) -> {
                    String reason = failureText(w, "exited with code " + code + " before it was ready");
                    w.ready().completeExceptionally(new StartFailure(reason));
                    w.exited().complete(code);
                    if (wasIncoming) {
                        // Its first failure is the reason (e.g. listen_timeout), not the kill that followed.
                        slot.replacement.completeExceptionally(w.ready().handle((ready, first) -> first).join());
                    }
                }, loop);
    }

    private void restartAfterExit(Slot slot, Worker dead, int code) {
        Duration uptime = Duration.between(dead.startedAt(), ctx.clock().instant());
        RestartPolicy.Decision decision = policy.afterExit(code, uptime, slot.history);
        if (decision instanceof RestartPolicy.Decision.Restart r) {
            slot.history = r.history();
            slot.restarts++;
            slot.emptyState = WorkerState.STARTING;
            slot.pendingRestart = loop.schedule(() -> {
                slot.pendingRestart = null;
                if (running && slot.current == null && slot.incoming == null && slots.get(slot.index) == slot) {
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
        slot.emptyState = state;
        slot.lastError = failureText(dead, why);
        LOG.log(System.Logger.Level.ERROR, slot.lastError);
        slot.settled.completeExceptionally(new StartFailure(slot.lastError));
    }

    /** Takes the slot's workers out and stops them; returns their exits. */
    private List<CompletableFuture<Integer>> retireSlot(Slot slot) {
        List<CompletableFuture<Integer>> exits = new ArrayList<>();
        slot.cancelPendingRestart();
        if (slot.incoming != null) {
            exits.add(retire(slot.incoming));
            slot.replacement.completeExceptionally(new IllegalStateException(name() + ": stopped during reload"));
            slot.incoming = null;
        }
        if (slot.current != null) {
            exits.add(retire(slot.current));
            slot.current = null;
        }
        return exits;
    }

    private void emptySlot(Slot slot, WorkerState state, String why) {
        retireSlot(slot);
        slot.emptyState = state;
        if (!slot.settled.isDone()) {
            slot.settled.completeExceptionally(new IllegalStateException(name() + "[" + slot.index + "]: " + why));
        }
    }

    /**
     * Out of the pool, then (once its in-flight requests are done or the grace ran out) SIGINT (or
     * the shutdown message), then SIGKILL of its tree if it is still there after the grace.
     */
    private CompletableFuture<Integer> retire(Worker w) {
        retiring.add(w);
        Duration grace = app.killTimeout();
        if (w.state() == WorkerState.STARTING) {
            w.ready().completeExceptionally(new StartFailure(w + " was stopped before it was ready"));
            interrupt(w, grace);
        } else if (w.state() == WorkerState.READY) {
            w.moveTo(WorkerState.DRAINING);
            publish();
            InstanceView seen = w.view();
            ctx.drain().awaitIdle(seen, grace).whenCompleteAsync((v, e) -> {
                if (w.state() == WorkerState.DRAINING) {
                    interrupt(w, grace);
                }
            }, loop);
        }
        return w.exited();
    }

    private void interrupt(Worker w, Duration grace) {
        w.moveTo(WorkerState.STOPPING);
        publish();
        boolean withMessage = app.lifecycle().shutdownWithMessage();
        ctx.io().execute(() -> w.interrupt(withMessage));
        loop.schedule(() -> {
            if (w.state() == WorkerState.STOPPING) {
                LOG.log(System.Logger.Level.WARNING, w + " still running " + grace.toMillis() + " ms after "
                        + (withMessage ? "the shutdown message" : "SIGINT") + ": SIGKILL to its process tree");
                ctx.io().execute(w::killTree);
            }
        }, grace.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void closeChannel(Optional<Channel> channel) {
        channel.ifPresent(c -> ctx.channels().ifPresent(server -> server.close(c)));
    }

    private CompletableFuture<Void> allExited() {
        return CompletableFuture.allOf(retiring.stream().map(Worker::exited).toArray(CompletableFuture[]::new));
    }

    /** Right after spawn, before the app has run much: its children are then born in the pool's cgroup. */
    private void admitToCgroup(Slot slot, long pid) {
        try {
            cgroup.admit(pid);
        } catch (IOException e) {
            LOG.log(System.Logger.Level.ERROR, name() + "[" + slot.index + "] pid " + pid
                    + " runs outside the pool's cgroup (its limits do not hold it): " + e.getMessage());
        }
    }

    private void applyLimits(AppConfig next) {
        try {
            cgroup.apply(next.resources(), next.instances());
        } catch (IOException e) {
            LOG.log(System.Logger.Level.ERROR, name() + ": its cgroup's new limits are not applied: " + e.getMessage());
        }
    }

    /** Once every process of the pool is gone; a process still dying gets a moment to be reaped. */
    private void removeCgroup() {
        for (int attempt = 1; ; attempt++) {
            try {
                cgroup.remove();
                return;
            } catch (IOException e) {
                if (attempt == CGROUP_REMOVE_TRIES) {
                    LOG.log(System.Logger.Level.WARNING, name() + ": cgroup left behind: " + e.getMessage());
                    return;
                }
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void measureUsage() {
        List<Long> pids = new ArrayList<>();
        for (Slot slot : slots.values()) {
            for (Worker w : new Worker[] {slot.current, slot.incoming}) {
                if (w != null && w.state().hasProcess()) {
                    pids.add(w.pid());
                }
            }
        }
        retiring.stream().filter(w -> w.state().hasProcess()).forEach(w -> pids.add(w.pid()));
        usage = meter.sample(cgroup, pids, ctx.clock().millis());
    }

    private void checkMemory() {
        for (Slot slot : slots.values()) {
            Worker w = slot.current;
            if (w == null || w.state() != WorkerState.READY) {
                continue;
            }
            Map<Long, Long> tree = ProcessTree.snapshot(w.pid());
            long rss = tree.keySet().stream().mapToLong(ProcFs::rssBytes).sum();
            w.observe(rss, tree);
            boolean over = app.maxMemoryBytes() > 0 && rss > app.maxMemoryBytes();
            if (over && !slot.overMemoryLimit) {
                LOG.log(System.Logger.Level.WARNING, String.format("%s rss %d MB is over max_memory_restart %d MB: replacing it",
                        w, rss >> 20, app.maxMemoryBytes() >> 20));
            }
            slot.overMemoryLimit = over;
            if (over && running && slot.incoming == null) {
                replace(slot.index, slots.size(), line -> LOG.log(System.Logger.Level.INFO, line))
                        .whenComplete((v, e) -> {
                            if (e != null) {
                                LOG.log(System.Logger.Level.ERROR, name() + ": memory replacement failed: " + e.getMessage());
                            }
                        });
            }
        }
    }

    private String failureText(Worker w, String what) {
        List<String> tail = w.stderrTail();
        String text = w + " " + what;
        return tail.isEmpty() ? text : text + "; last stderr lines:\n  " + String.join("\n  ", tail);
    }

    private PoolView buildView() {
        List<InstanceView> out = new ArrayList<>();
        for (Slot slot : slots.values()) {
            if (slot.current != null) {
                out.add(slot.current.view());
            } else if (slot.incoming == null) {
                out.add(new InstanceView(app.name(), slot.index, 0, 0, 0, 0, slot.emptyState, null, slot.restarts, 0));
            }
            if (slot.incoming != null) {
                out.add(slot.incoming.view());
            }
        }
        for (Worker w : retiring) {
            if (w.state().hasProcess()) {
                out.add(w.view());
            }
        }
        return new PoolView(app.name(), app.instances(), out);
    }

    private void publish() {
        PoolView next = buildView();
        view = next;
        for (PoolListener l : listeners) {
            try {
                l.poolChanged(next);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.ERROR, "pool listener failed", e);
            }
        }
    }

    private <T> CompletableFuture<T> onLoop(java.util.function.Supplier<T> work) {
        return CompletableFuture.supplyAsync(work, loop);
    }
}
