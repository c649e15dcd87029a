package corral.proxy.daemon;

import corral.proxy.health.Availability;
import corral.proxy.forward.BulkheadFigures;
import corral.proxy.forward.FailureKind;
import corral.proxy.forward.UpstreamSettings;
import corral.proxy.status.ReloadHistory;
import corral.workers.config.AppConfig;
import corral.workers.config.ResourceLimits;
import corral.workers.logs.LogFiles;
import corral.workers.pool.Pool;
import corral.workers.pool.PoolUsage;
import corral.workers.pool.PoolView;
import corral.workers.proc.ProcFs;
import corral.workers.process.InstanceView;
import corral.workers.supervisor.Supervisor;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The daemon's state as a JSON tree for {@code status --json} and the status page:
 * {@code {"online":…,"offlineApps":[…],"status_url":…,"cgroups":{…},"apps":[{"name":…,"resources":{…},
 * "proxy":{…},"errors":{kind:count},"instances":[{"index":…,"pid":…,"port":…,"state":…,"cpuSeconds":…,…}],
 * "health":"up|offline|down","logs":{"out":[…],"error":[…]}}],"reloads":[{"app":…,"at":…,"ms":…,"ok":…,
 * "outcome":…}],"writes":{…}}}. Counts are totals since the daemon started; a client that polls makes
 * rates of them.
 */
final class StatusReport {

    private StatusReport() {
    }

    static Map<String, Object> build(Availability availability, Supervisor supervisor, DataPath dataPath,
                                     ConfigSet config, StatusPage page, ReloadHistory reloads) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("online", availability.online());
        root.put("healthy", availability.healthy());
        root.put("offlineApps", availability.offlineApps());
        root.put("status_url", page.url().orElse(null));
        page.problem().ifPresent(p -> root.put("status_error", p));
        root.put("now", Instant.now().toEpochMilli());
        root.put("cgroups", Map.of("available", supervisor.cgroups().available(),
                "summary", supervisor.cgroups().summary()));
        List<Object> apps = new ArrayList<>();
        for (Pool pool : supervisor.pools()) {
            Map<String, Object> app = app(pool, dataPath, config);
            app.put("health", availability.state(pool.name()).name().toLowerCase());
            app.put("logs", logs(supervisor.logs(), pool.config()));
            apps.add(app);
        }
        root.put("apps", apps);
        root.put("writes", writes(supervisor, dataPath));
        root.put("reloads", reloads(reloads));
        return root;
    }

    private static List<Object> reloads(ReloadHistory history) {
        List<Object> out = new ArrayList<>();
        for (ReloadHistory.Reload r : history.last()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("app", r.app());
            m.put("at", r.at().toString());
            m.put("ms", r.millis());
            m.put("ok", r.ok());
            m.put("outcome", r.outcome());
            out.add(m);
        }
        return out;
    }

    /** The error responses the proxy gave for the pool so far, by kind (every kind, zeros too). */
    private static Map<String, Object> errors(String app, DataPath dataPath) {
        Map<String, Object> e = new LinkedHashMap<>();
        for (FailureKind kind : FailureKind.values()) {
            e.put(kind.metricName(), dataPath.errors(app, kind));
        }
        return e;
    }

    private static Map<String, Object> app(Pool pool, DataPath dataPath, ConfigSet config) {
        PoolView view = pool.freshView();
        AppConfig app = pool.config();
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("name", view.app());
        a.put("configured", view.configured());
        a.put("ready", view.routable().size());
        a.put("publicPort", app.publicPort().orElse(0));
        a.put("inFile", config.ecosystem().app(app.name()).isPresent());
        a.put("resources", resources(pool, app));
        a.put("proxy", proxy(app.name(), dataPath));
        a.put("errors", errors(app.name(), dataPath));
        List<Object> instances = new ArrayList<>();
        Instant now = Instant.now();
        var upstreams = dataPath.upstreams(view.app());
        for (InstanceView i : view.instances()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("index", i.index());
            m.put("pid", i.pid());
            m.put("port", i.port());
            m.put("state", i.state().name().toLowerCase());
            m.put("uptimeMs", i.startedAt() == null ? 0 : now.toEpochMilli() - i.startedAt().toEpochMilli());
            m.put("restarts", i.restarts());
            m.put("rss", i.rssBytes());
            if (i.pid() > 0 && i.startedAt() != null) {
                m.put("cpu", ProcFs.cpuPercentSinceStart(i.pid()));
                m.put("cpuSeconds", ProcFs.cpuNanos(i.pid()) / 1e9);
            }
            var f = upstreams.get(i.id());
            m.put("inflight", f == null ? 0 : f.inFlight());
            m.put("requests", f == null ? 0 : f.requests());
            instances.add(m);
        }
        a.put("instances", instances);
        return a;
    }

    /** The app's log files by stream, as its instances write them ({@code out_file}/{@code error_file} honoured). */
    private static Map<String, Object> logs(LogFiles files, AppConfig app) {
        Map<String, Object> l = new LinkedHashMap<>();
        for (LogFiles.Stream stream : LogFiles.Stream.values()) {
            l.put(stream.name().toLowerCase(), files.pathsOf(app, stream).stream().map(Object::toString).toList());
        }
        return l;
    }

    /**
     * What could not be written to disk (a full disk drops log lines, counted; a registry that
     * cannot be written is stale until it can): {@code bin/control status} shows it.
     */
    private static Map<String, Object> writes(Supervisor supervisor, DataPath dataPath) {
        Map<String, Object> w = new LinkedHashMap<>();
        w.put("accessLogDropped", dataPath.accessLogDropped());
        w.put("accessLogFailing", dataPath.accessLog().failing());
        w.put("instanceLogLinesDropped", supervisor.logs().droppedLines());
        w.put("instanceLogsFailing", supervisor.logs().failing().stream().map(Object::toString).toList());
        w.put("registryError", supervisor.registryFailure().orElse(""));
        return w;
    }

    /** The pool's CPU set and limits as configured, where its cgroup is, and what it uses. */
    private static Map<String, Object> resources(Pool pool, AppConfig app) {
        ResourceLimits limits = app.resources();
        PoolUsage usage = pool.usage();
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("cpus", limits.cpus().map(Object::toString).orElse(""));
        r.put("cpuQuotaPercent", limits.cpuQuotaPercent().isPresent() ? limits.cpuQuotaPercent().getAsInt() : 0);
        r.put("cpuWeight", limits.cpuWeightFor(app.instances()));
        r.put("memoryMax", limits.memoryMaxBytes());
        r.put("cgroup", pool.cgroupLocation());
        r.put("cpuPercent", usage.cpuPercent());
        r.put("memory", usage.memoryBytes());
        r.put("measuredBy", usage.fromCgroup() ? "cgroup" : "processes");
        return r;
    }

    /** The pool's bulkhead now, its limits, and what it refused so far. */
    private static Map<String, Object> proxy(String app, DataPath dataPath) {
        UpstreamSettings settings = dataPath.settings(app);
        BulkheadFigures now = dataPath.bulkhead(app);
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("inFlight", now.inFlight());
        p.put("maxInFlight", settings.maxInFlight());
        p.put("queued", now.queued());
        p.put("maxQueued", settings.maxQueued());
        p.put("readTimeoutMs", settings.readTimeout().toMillis());
        p.put("refused", dataPath.errors(app, FailureKind.BULKHEAD));
        p.put("queueTimeouts", dataPath.errors(app, FailureKind.QUEUE_TIMEOUT));
        return p;
    }
}
