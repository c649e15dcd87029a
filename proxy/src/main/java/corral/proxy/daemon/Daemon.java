package corral.proxy.daemon;

import com.codahale.metrics.MetricRegistry;
import corral.proxy.admin.CommandException;
import corral.proxy.admin.DaemonControl;
import corral.proxy.health.Availability;
import corral.proxy.listen.ConnectionBudget;
import corral.proxy.listen.PortRole;
import corral.proxy.listen.TrafficListeners;
import corral.proxy.rules.LimitZones;
import corral.proxy.rules.RouteDecision;
import corral.proxy.rules.Router;
import corral.proxy.rules.VhostConfig;
import corral.proxy.status.FleetMetrics;
import corral.proxy.status.HttpRequests;
import corral.proxy.status.LimitMetrics;
import corral.proxy.status.ReloadHistory;
import corral.workers.config.AppConfig;
import corral.workers.config.AppSelection;
import corral.workers.pool.Pool;
import corral.workers.proc.ProcFs;
import corral.workers.process.SetsidLauncher;
import corral.workers.supervisor.Supervisor;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.xnio.OptionMap;
import org.xnio.Options;
import org.xnio.Xnio;
import org.xnio.XnioWorker;

/**
 * One Corral daemon: the supervisor, the forwarding data path, the traffic listeners and the
 * running configuration, and the commands that act on them. Commands run one at a time (they are
 * serialised on this object), so a reload-conf never interleaves with a reload.
 */
public final class Daemon implements DaemonControl, AutoCloseable {

    private static final System.Logger LOG = System.getLogger("corral.daemon");
    private static final Duration START_LIMIT = Duration.ofMinutes(5);

    private final DaemonSettings settings;
    private final MetricRegistry metrics = new MetricRegistry();
    private final PrometheusRegistry prometheus = new PrometheusRegistry();
    private final ReloadHistory reloads = new ReloadHistory();
    private final Availability availability = new Availability();
    private final XnioWorker worker;
    private final DataPath dataPath;
    private final Supervisor supervisor;
    private final TrafficListeners listeners;
    private final long openFilesAtStart;
    private final AtomicReference<ConfigSet> config = new AtomicReference<>();
    /** The apps of the file this daemon runs: {@code --only} at start, widened by reload-conf --only; guarded by this. */
    private AppSelection selection;
    private final AtomicReference<Router> rules = new AtomicReference<>(Daemon::noRules);
    private final StatusPage statusPage;
    private volatile Runnable onKill = () -> { };
    private volatile OwnLogs ownLogs = () -> { };
    private boolean closed;

    /** Builds the daemon from a loaded configuration and opens its traffic ports; starts no app. */
    public Daemon(DaemonSettings settings, ConfigSet initial) throws IOException {
        this.settings = settings;
        this.selection = settings.only();
        this.worker = Xnio.getInstance().createWorker(OptionMap.builder()
                .set(Options.WORKER_IO_THREADS, settings.ioThreadCount())
                .set(Options.WORKER_TASK_CORE_THREADS, 4)
                .set(Options.WORKER_TASK_MAX_THREADS, 16)
                .set(Options.WORKER_NAME, "corral")
                .getMap());
        this.dataPath = DataPath.create(metrics, settings, settings.home().logDir().resolve("access.log"));
        this.supervisor = new Supervisor(settings.home(), new SetsidLauncher(), dataPath.drainGate(),
                Clock.systemUTC(), System.getenv());
        supervisor.addListener(availability);
        supervisor.addListener(dataPath.poolListener());
        registerWriteGauges();
        this.listeners = new TrafficListeners(worker, settings.bindAddress(), settings.client(), settings.healthPath(), availability,
                rules::get, dataPath.handler(), metrics, HttpRequests.register(prometheus));
        this.openFilesAtStart = ProcFs.openFiles();
        listeners.logging().logTo(dataPath.accessLog(), dataPath.vhostLogs(accessLogTargets(initial)));
        install(initial);
        limitConnections(initial);
        listeners.apply(initial.portRoles());
        DaemonFleet fleet = new DaemonFleet(availability, supervisor, dataPath, reloads, this::status);
        FleetMetrics.register(prometheus, fleet);
        LimitMetrics.register(prometheus, listeners.limitCounts());
        this.statusPage = StatusPage.open(settings.statusListen(), worker, prometheus, fleet);
    }

    /**
     * Sizes each listener's connection bound from the open-file limit (for listeners opened from
     * now on), and says so when the limit is lower than this configuration wants.
     */
    private void limitConnections(ConfigSet c) {
        ConnectionBudget budget = c.connectionBudget(settings.client().maxConnections(),
                ProcFs.openFilesLimit().orElse(Integer.MAX_VALUE), openFilesAtStart);
        budget.shortfall().ifPresent(why -> LOG.log(System.Logger.Level.WARNING, why));
        listeners.limitConnections(budget);
    }

    /** What a full disk costs: lines dropped, and whether the registry of live workers is stale. */
    private void registerWriteGauges() {
        metrics.gauge("corral.logs.access.dropped", () -> () -> dataPath.accessLogDropped());
        metrics.gauge("corral.logs.instances.dropped", () -> () -> supervisor.logs().droppedLines());
        metrics.gauge("corral.registry.stale", () -> () -> supervisor.registryFailure().isPresent() ? 1 : 0);
    }

    /** What to run when {@code kill} has stopped everything (the main class exits the JVM). */
    public void onKill(Runnable action) {
        this.onKill = action;
    }

    /** The daemon's own log files, which {@code reopen-logs} reopens with the apps' and the access log. */
    interface OwnLogs {
        void reopen() throws IOException;
    }

    /** Also reopen these on {@code reopen-logs} (the main class owns corral.log and the stdout file). */
    void alsoReopen(OwnLogs logs) {
        this.ownLogs = logs;
    }

    /** What limits the pools: the cgroups in use, or that there are none and why (one line). */
    public String cgroupsSummary() {
        return supervisor.cgroups().summary();
    }

    /** Whether the pools have cgroups (else they run with CPU sets only). */
    public boolean cgroupsAvailable() {
        return supervisor.cgroups().available();
    }

    // ---- commands --------------------------------------------------------------------------

    @Override
    public void checkApp(String app) {
        if (supervisor.pool(app).isEmpty() && config.get().ecosystem().app(app).isEmpty()) {
            throw new CommandException(404, "no app named '" + app + "' (apps: " + String.join(", ", appNames()) + ")");
        }
    }

    @Override
    public synchronized String start(Optional<String> app, Consumer<String> progress) throws Exception {
        List<AppConfig> apps = app.map(name -> List.of(configOf(name))).orElse(config.get().ecosystem().apps());
        progress.accept(supervisor.cgroups().summary());
        for (AppConfig a : apps) {
            Pool pool = supervisor.add(a);
            long begun = System.nanoTime();
            await(pool.start(progress), START_LIMIT, a.name() + ": start");
            progress.accept(String.format("%s: %d/%d instances ready (%d ms)", a.name(), pool.view().routable().size(),
                    a.instances(), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begun)));
        }
        return "started " + String.join(", ", apps.stream().map(AppConfig::name).toList());
    }

    @Override
    public synchronized String stop(String app, Consumer<String> progress) throws Exception {
        int n = pool(app).view().instances().size();
        await(supervisor.stop(app), START_LIMIT, app + ": stop");
        return app + " stopped (" + n + " instances)";
    }

    @Override
    public synchronized String restart(String app, Consumer<String> progress) throws Exception {
        pool(app);
        await(supervisor.stop(app), START_LIMIT, app + ": stop");
        progress.accept(app + ": stopped");
        return start(Optional.of(app), progress).replace("started", "restarted");
    }

    @Override
    public synchronized String reload(String app, int parallel, Consumer<String> progress) throws Exception {
        Pool pool = pool(app);
        return recorded(app, () -> {
            long begun = System.nanoTime();
            try {
                await(supervisor.reload(app, Math.max(1, parallel), progress), START_LIMIT, app + ": reload");
            } catch (CommandException e) {
                throw new CommandException(500, "reload of " + app + " stopped: " + e.getMessage()
                        + "\nthe instances not yet replaced keep serving (" + pool.view().routable().size() + " ready)");
            }
            return String.format("%s reloaded: %d instances replaced in %.1f s", app, pool.view().routable().size(),
                    (System.nanoTime() - begun) / 1e9);
        });
    }

    /** Runs a reload of {@code app} (or of the configuration) and records how it ended. */
    private String recorded(String app, Callable<String> reload) throws Exception {
        Instant at = Instant.now();
        long begun = System.nanoTime();
        try {
            String outcome = reload.call();
            reloads.record(app, at, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begun), true, outcome);
            return outcome;
        } catch (Exception e) {
            reloads.record(app, at, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begun), false,
                    e.getMessage() == null ? e.toString() : e.getMessage());
            throw e;
        }
    }

    @Override
    public synchronized String delete(String app, Consumer<String> progress) throws Exception {
        pool(app);
        await(supervisor.delete(app), START_LIMIT, app + ": delete");
        availability.forget(app);
        return app + " deleted";
    }

    @Override
    public synchronized String scale(String app, int instances, Consumer<String> progress) throws Exception {
        if (instances < 1) {
            throw new CommandException(400, "scale " + app + ": instances must be at least 1 (use stop to run none)");
        }
        pool(app);
        await(supervisor.scale(app, instances), START_LIMIT, app + ": scale");
        return app + " scaled to " + instances + " instances";
    }

    @Override
    public synchronized String reloadConf(AppSelection only, Consumer<String> progress) throws Exception {
        return recorded(ReloadHistory.CONFIG, () -> applyConf(only, progress));
    }

    /**
     * Without {@code --only}: everything the files say now, for the apps this daemon runs. With it,
     * as {@code pm2 reload ecosystem.config.js --only a}: those apps as the file has them now (added
     * when they did not run), every other app and the vhost rules as they run.
     */
    private String applyConf(AppSelection only, Consumer<String> progress) throws Exception {
        ConfigSet next;
        try {
            // the running rules' limit zones carry on where the new rules keep them (nginx's shared zones)
            next = only.all() ? ConfigSet.load(settings.conf(), settings.vhost(), settings.envName(), selection,
                    config.get().vhost().map(VhostConfig::limitZones).orElse(LimitZones.NONE))
                    : config.get().withAppsOf(settings.conf(), settings.envName(), only);
        } catch (InvalidConfigException e) {
            throw new CommandException(422, "configuration not applied, nothing changed:\n" + e.getMessage());
        }
        if (!only.all()) {
            progress.accept("--only " + only + ": the other apps and the vhost rules stay as they run");
        }
        ConfigDiff diff = ConfigDiff.between(config.get(), next, supervisor);
        Map<Integer, PortRole> roles = next.portRoles();
        try {
            listeners.checkFree(roles);
        } catch (IOException e) {
            throw new CommandException(409, "configuration not applied, nothing changed: " + e.getMessage());
        }
        try {
            dataPath.vhostLogs(accessLogTargets(next));
        } catch (IOException e) {
            throw new CommandException(422, "configuration not applied, nothing changed: " + e.getMessage());
        }
        diff.describe().forEach(progress);
        next.warnings().forEach(progress);
        install(next);
        selection = selection.and(only);
        limitConnections(next);
        listeners.apply(roles);
        for (AppConfig added : diff.added()) {
            await(supervisor.add(added).start(), START_LIMIT, added.name() + ": start");
            progress.accept(added.name() + ": started");
        }
        for (ConfigDiff.Scaling scaling : diff.scaled()) {
            AppConfig changed = scaling.app();
            await(supervisor.scale(changed.name(), changed.instances()), START_LIMIT, changed.name() + ": scale");
            progress.accept(changed.name() + ": now " + changed.instances() + " instances");
        }
        for (AppConfig changed : diff.changed()) {
            Pool pool = pool(changed.name());
            await(pool.reconfigure(changed), START_LIMIT, changed.name() + ": reconfigure");
            recorded(changed.name(), () -> {
                await(pool.reload(1, progress), START_LIMIT, changed.name() + ": reload");
                return changed.name() + " reloaded with its new configuration";
            });
        }
        return diff.isEmpty() ? "configuration unchanged" : "configuration applied";
    }

    @Override
    public String setOnline(boolean online) {
        availability.setOnline(online);
        LOG.log(System.Logger.Level.INFO, online ? "online: /health answers 200 again" : "offline: /health answers 503");
        if (!online && !settings.drainDelay().isZero()) {
            awaitDrainDelay();
            return "offline: " + settings.healthPath() + " answered 503 for drain.delay.ms (" + settings.drainDelay().toMillis()
                    + " ms) while traffic was served; the VIP has had time to take this machine out";
        }
        return online ? "online: " + settings.healthPath() + " answers 200 while every pool has a ready instance"
                : "offline: " + settings.healthPath() + " answers 503; traffic is still served";
    }

    @Override
    public String setAppOnline(String app, boolean online) {
        availability.setOnline(app, online);
        LOG.log(System.Logger.Level.INFO, online ? "online " + app + ": its health answers again"
                : "offline " + app + ": its health answers 503");
        String probes = settings.healthPath() + "/" + app + ", its port's and its vhosts' " + settings.healthPath();
        if (!online && !settings.drainDelay().isZero()) {
            awaitDrainDelay(); // as for the whole machine: the VIP must see the 503 before the caller goes on
            return "offline " + app + ": " + probes + " answered 503 for drain.delay.ms (" + settings.drainDelay().toMillis()
                    + " ms) while its traffic was served";
        }
        return online ? "online " + app + ": " + probes + " answer 200 while it has a ready instance"
                : "offline " + app + ": " + probes + " answer 503; its traffic is still served";
    }

    @Override
    public String reopenLogs() throws IOException {
        supervisor.logs().reopenAll();
        dataPath.reopenAccessLog();
        ownLogs.reopen();
        return "log files reopened";
    }

    @Override
    public synchronized String kill(Consumer<String> progress) throws Exception {
        progress.accept("stopping every app");
        close();
        Thread t = new Thread(onKill, "corral-exit");
        t.start();
        return "daemon stopped";
    }

    /**
     * SIGTERM: offline (the VIP probe answers 503) and, with a {@code drain.delay.ms}, traffic
     * served that long while the VIP's checks notice; then every pool drains and stops.
     */
    public void stopGracefully(Consumer<String> progress) throws Exception {
        progress.accept(setOnline(false));
        progress.accept("stopping every app");
        close();
    }

    @Override
    public Object metrics() {
        return corral.proxy.admin.MetricsJson.of(metrics);
    }

    @Override
    public Object status() {
        // Null only while the constructor opens the status listener, whose first poll may come that soon.
        StatusPage page = statusPage == null ? StatusPage.NONE : statusPage;
        return StatusReport.build(availability, supervisor, dataPath, config.get(), page, reloads);
    }

    // ---- internals -------------------------------------------------------------------------

    private static java.util.List<corral.proxy.accesslog.AccessLogTarget> accessLogTargets(ConfigSet config) {
        return config.vhost().map(corral.proxy.rules.VhostConfig::accessLogTargets).orElse(java.util.List.of());
    }

    private void install(ConfigSet next) {
        dataPath.configure(next.ecosystem().apps());
        config.set(next);
        availability.configure(next.ecosystem().apps().stream().map(AppConfig::name).collect(Collectors.toSet()));
        rules.set(next.vhost().<Router>map(v -> v).orElse(Daemon::noRules));
        for (AppConfig app : next.ecosystem().apps()) {
            supervisor.pool(app.name()).ifPresent(p -> p.reconfigure(app));
        }
    }

    // A plain wait: the listeners keep serving meanwhile, and nothing here holds the daemon's lock.
    private void awaitDrainDelay() {
        LOG.log(System.Logger.Level.INFO, "offline: serving " + settings.drainDelay().toMillis()
                + " ms more (drain.delay.ms) while the VIP's checks notice the 503");
        try {
            Thread.sleep(settings.drainDelay().toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static RouteDecision noRules(corral.proxy.rules.RouteRequest request) {
        return new RouteDecision.Respond(404, "404 Not Found: no vhost rules\n", "text/plain");
    }

    private AppConfig configOf(String name) {
        return config.get().ecosystem().app(name).orElseThrow(() ->
                new CommandException(404, "no app named '" + name + "' in " + settings.conf()
                        + " (apps: " + String.join(", ", appNames()) + ")"));
    }

    private Pool pool(String name) {
        return supervisor.pool(name).orElseThrow(() -> new CommandException(409,
                "app '" + name + "' is not running (start it with: bin/control start " + name + ")"));
    }

    private List<String> appNames() {
        List<String> names = new ArrayList<>();
        config.get().ecosystem().apps().forEach(a -> names.add(a.name()));
        supervisor.pools().forEach(p -> {
            if (!names.contains(p.name())) {
                names.add(p.name());
            }
        });
        return names;
    }

    private static void await(java.util.concurrent.CompletableFuture<?> f, Duration max, String what) throws Exception {
        try {
            f.get(max.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e;
            while ((cause instanceof ExecutionException || cause instanceof java.util.concurrent.CompletionException)
                    && cause.getCause() != null) {
                cause = cause.getCause();
            }
            if (cause instanceof CommandException c) {
                throw c;
            }
            throw new CommandException(500, cause.getMessage() == null ? cause.toString() : cause.getMessage());
        } catch (TimeoutException e) {
            throw new CommandException(504, what + " did not finish within " + max.toMinutes() + " min");
        }
    }

    @Override
    public synchronized void close() throws Exception {
        if (closed) {
            return;
        }
        closed = true;
        availability.setOnline(false);
        statusPage.close();
        supervisor.close();
        listeners.close();
        dataPath.close();
        worker.shutdown();
    }
}
