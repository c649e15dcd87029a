package corral.proxy.daemon;

import corral.proxy.health.Availability;
import corral.workers.config.AppConfig;
import corral.workers.pool.Pool;
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
 * The daemon's state as a JSON tree for {@code status --json}:
 * {@code {"online":…,"apps":[{"name":…,"instances":[{"index":…,"pid":…,"port":…,"state":…,…}]}]}}.
 */
final class StatusReport {

    private StatusReport() {
    }

    static Map<String, Object> build(Availability availability, Supervisor supervisor, DataPath forwarding,
                                     ConfigSet config) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("online", availability.online());
        root.put("healthy", availability.healthy());
        List<Object> apps = new ArrayList<>();
        for (Pool pool : supervisor.pools()) {
            apps.add(app(pool, forwarding, config));
        }
        root.put("apps", apps);
        return root;
    }

    private static Map<String, Object> app(Pool pool, DataPath forwarding, ConfigSet config) {
        PoolView view = pool.freshView();
        AppConfig app = pool.config();
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("name", view.app());
        a.put("configured", view.configured());
        a.put("ready", view.routable().size());
        a.put("publicPort", app.publicPort().orElse(0));
        a.put("inFile", config.ecosystem().app(app.name()).isPresent());
        List<Object> instances = new ArrayList<>();
        Instant now = Instant.now();
        var figures = forwarding.figures(view.app());
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
            }
            var f = figures.get(i.id());
            m.put("inflight", f == null ? 0 : f.inFlight());
            m.put("requests", f == null ? 0 : f.requests());
            instances.add(m);
        }
        a.put("instances", instances);
        return a;
    }
}
