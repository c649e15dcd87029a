package corral.proxy.daemon;

import com.codahale.metrics.MetricRegistry;
import corral.proxy.accesslog.AccessLogFiles;
import corral.proxy.accesslog.AccessLogTarget;
import corral.proxy.balance.LeastInFlight;
import corral.proxy.balance.PoolTable;
import corral.proxy.balance.UpstreamStatus;
import corral.proxy.forward.BulkheadFigures;
import corral.proxy.forward.FailureKind;
import corral.proxy.forward.FileAccessLog;
import corral.proxy.forward.ForwardHandler;
import corral.proxy.forward.UpstreamConnections;
import corral.proxy.forward.UpstreamSettings;
import corral.workers.config.AppConfig;
import corral.workers.pool.DrainGate;
import corral.workers.pool.PoolListener;
import io.undertow.server.HttpHandler;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The daemon's forwarding data path, put together once: the pool table (membership from the
 * supervisor, drain gate back to it), the upstream connections, the forward handler every
 * listener ends in, the access log, and each pool's read timeout and bulkhead from its app.
 */
final class DataPath implements AutoCloseable {

    private final PoolTable table;
    private final ForwardHandler handler;
    private final FileAccessLog accessLog;
    /** The files of the vhosts' access_log directives. */
    private final AccessLogFiles vhostLogs = new AccessLogFiles();
    private final ScheduledExecutorService timer;
    private final UpstreamSettings base;
    private final AtomicReference<Map<String, UpstreamSettings>> byApp;

    private DataPath(PoolTable table, ForwardHandler handler, FileAccessLog accessLog, ScheduledExecutorService timer,
                     UpstreamSettings base, AtomicReference<Map<String, UpstreamSettings>> byApp) {
        this.table = table;
        this.handler = handler;
        this.accessLog = accessLog;
        this.timer = timer;
        this.base = base;
        this.byApp = byApp;
    }

    static DataPath create(MetricRegistry metrics, DaemonSettings settings, Path accessLogFile) throws IOException {
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "drain-timer");
            t.setDaemon(true);
            return t;
        });
        UpstreamSettings base = UpstreamSettings.DEFAULTS.withIdleTimeout(settings.idleUpstreamTimeout());
        AtomicReference<Map<String, UpstreamSettings>> byApp = new AtomicReference<>(Map.of());
        UpstreamConnections connections = new UpstreamConnections(app -> byApp.get().getOrDefault(app, base));
        PoolTable table = new PoolTable(app -> new LeastInFlight(), connections, timer, Clock.systemUTC());
        FileAccessLog accessLog = new FileAccessLog(accessLogFile, Duration.ofSeconds(1), 100_000);
        ForwardHandler handler = ForwardHandler.builder(table, connections)
                .metrics(metrics)
                .accessLog(accessLog)
                .build();
        return new DataPath(table, handler, accessLog, timer, base, byApp);
    }

    /**
     * Takes each app's read timeout and bulkhead from its configuration, from the next request
     * on. An app no longer in the file keeps what it had while it runs.
     */
    void configure(List<AppConfig> apps) {
        Map<String, UpstreamSettings> next = new HashMap<>(byApp.get());
        apps.forEach(app -> next.put(app.name(), base.with(app.proxy())));
        byApp.set(Map.copyOf(next));
    }

    /** The settings pool {@code app} is forwarded with. */
    UpstreamSettings settings(String app) {
        return byApp.get().getOrDefault(app, base);
    }

    /** Pool {@code app}'s bulkhead now. */
    BulkheadFigures bulkhead(String app) {
        return handler.bulkhead(app);
    }

    /** Error responses of {@code kind} the proxy gave for pool {@code app} so far. */
    long errors(String app, FailureKind kind) {
        return handler.errors(app, kind);
    }

    /** Attempts of pool {@code app} sent again to another instance so far. */
    long retries(String app) {
        return handler.retries(app);
    }

    /** Requests on pool {@code app}'s instances now. */
    int inFlight(String app) {
        return table.inFlight(app);
    }

    PoolListener poolListener() {
        return table;
    }

    DrainGate drainGate() {
        return table;
    }

    HttpHandler handler() {
        return handler;
    }

    /** In-flight and total request counts per worker id of one app, for status. */
    Map<Long, UpstreamStatus> upstreams(String app) {
        Map<Long, UpstreamStatus> byId = new HashMap<>();
        List<UpstreamStatus> all = table.status(app);
        all.forEach(s -> byId.put(s.id(), s));
        return byId;
    }

    /** The access log's file, for status: records dropped so far and whether it is failing now. */
    FileAccessLog accessLog() {
        return accessLog;
    }

    /** The vhosts' access_log files, opened for {@code targets} (before the rules naming them apply). */
    AccessLogFiles vhostLogs(List<AccessLogTarget> targets) throws IOException {
        vhostLogs.use(targets);
        return vhostLogs;
    }

    /** Access-log lines not written so far, log/access.log's and the vhosts' access_log files'. */
    long accessLogDropped() {
        return accessLog.dropped() + vhostLogs.dropped();
    }

    void reopenAccessLog() throws IOException {
        accessLog.reopen();
        vhostLogs.reopen();
    }

    @Override
    public void close() throws IOException {
        accessLog.close();
        vhostLogs.close();
        timer.shutdownNow();
    }
}
