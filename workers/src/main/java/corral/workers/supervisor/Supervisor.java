package corral.workers.supervisor;

import corral.workers.cgroup.Cgroups;
import corral.workers.config.AppConfig;
import corral.workers.home.HomeLayout;
import corral.workers.ipc.ChannelServer;
import corral.workers.logs.LogFiles;
import corral.workers.logs.LogPumps;
import corral.workers.pool.DrainGate;
import corral.workers.pool.Pool;
import corral.workers.pool.PoolContext;
import corral.workers.pool.PoolListener;
import corral.workers.ports.PortAllocator;
import corral.workers.process.ProcessLauncher;
import corral.workers.registry.WorkerRegistry;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The pools of one daemon, by app name. Knows nothing of HTTP: the proxy learns membership by
 * adding a {@link PoolListener} and lends its in-flight counts through the {@link DrainGate}.
 * Every worker it starts is written to the registry in the home's run directory, and put in its
 * pool's cgroup when the machine offers cgroups.
 */
public final class Supervisor implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger("corral.supervisor");

    private final PoolContext ctx;
    private final WorkerRegistry registry;
    private final Map<String, Pool> pools = new ConcurrentHashMap<>();
    private final List<PoolListener> listeners = new CopyOnWriteArrayList<>();
    private final ExecutorService io;

    /** A supervisor that limits pools with the cgroups this machine offers ({@link Cgroups#open}). */
    public Supervisor(HomeLayout home, ProcessLauncher launcher, DrainGate drain, Clock clock,
                      Map<String, String> baseEnv) {
        this(home, launcher, drain, clock, baseEnv, Cgroups.open(home.create(), baseEnv));
    }

    public Supervisor(HomeLayout home, ProcessLauncher launcher, DrainGate drain, Clock clock,
                      Map<String, String> baseEnv, Cgroups cgroups) {
        home.create();
        this.io = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "supervisor-io");
            t.setDaemon(true);
            return t;
        });
        this.ctx = new PoolContext(launcher, new PortAllocator(), new LogFiles(home.logDir()),
                new LogPumps("log-pumps"), drain, clock, io,
                baseEnv, home, new AtomicLong(), new AtomicInteger(), cgroups, channels(home));
        this.registry = new WorkerRegistry(home.registryFile());
    }

    /** The IPC channels of node instances; without them an app still runs, but has no process.send. */
    private static Optional<ChannelServer> channels(HomeLayout home) {
        try {
            return Optional.of(ChannelServer.start(home.runDir()));
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "no IPC channel for node instances (process.send, wait_ready, "
                    + "shutdown_with_message will not work): cannot bind " + home.runDir().resolve("ipc.sock")
                    + ": " + e.getMessage());
            return Optional.empty();
        }
    }

    public HomeLayout home() {
        return ctx.home();
    }

    /** The cgroups pools are limited in, or why there are none. */
    public Cgroups cgroups() {
        return ctx.cgroups();
    }

    public LogFiles logs() {
        return ctx.logs();
    }

    /** Why the registry of live workers is not current on disk, or empty while it is. */
    public Optional<String> registryFailure() {
        return registry.failure();
    }

    /** Listens to every pool, present and future. */
    public void addListener(PoolListener listener) {
        listeners.add(listener);
        pools.values().forEach(p -> p.addListener(listener));
    }

    /** Creates the pool of an app (not started); an existing pool of that name is returned as is. */
    public Pool add(AppConfig app) {
        return pools.computeIfAbsent(app.name(), n -> {
            Pool pool = new Pool(app, ctx);
            pool.addListener(registry::poolChanged);
            listeners.forEach(pool::addListener);
            return pool;
        });
    }

    public Optional<Pool> pool(String name) {
        return Optional.ofNullable(pools.get(name));
    }

    public List<Pool> pools() {
        return pools.values().stream().sorted(Comparator.comparing(Pool::name)).toList();
    }

    /** The pool of that name, or a clear error naming the apps there are. */
    public Pool require(String name) {
        Pool pool = pools.get(name);
        if (pool == null) {
            throw new UnknownAppException(name, pools.keySet().stream().sorted().toList());
        }
        return pool;
    }

    public CompletableFuture<Void> start(String name) {
        return require(name).start();
    }

    public CompletableFuture<Void> stop(String name) {
        return require(name).stop();
    }

    public CompletableFuture<Void> reload(String name, int parallel, Consumer<String> progress) {
        return require(name).reload(parallel, progress);
    }

    public CompletableFuture<Void> scale(String name, int instances) {
        return require(name).scale(instances);
    }

    /** Stops the app and forgets it. */
    public CompletableFuture<Void> delete(String name) {
        Pool pool = require(name);
        return pool.close().whenComplete((v, e) -> pools.remove(name, pool));
    }

    /** Stops every pool and waits for every process to exit. */
    @Override
    public void close() throws Exception {
        List<CompletableFuture<Void>> stops = new ArrayList<>();
        for (Pool p : pools.values()) {
            stops.add(p.close());
        }
        try {
            CompletableFuture.allOf(stops.toArray(CompletableFuture[]::new)).join();
        } finally {
            // Also when a pool failed to stop: Corral's parent cgroup is not left behind empty.
            ctx.logs().closeAll();
            ctx.cgroups().close();
            registry.close();
            ctx.channels().ifPresent(ChannelServer::close);
            io.shutdown();
        }
    }
}
