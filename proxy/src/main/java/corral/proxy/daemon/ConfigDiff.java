package corral.proxy.daemon;

import corral.workers.config.AppConfig;
import corral.workers.config.ProxyLimits;
import corral.workers.config.ResourceLimits;
import corral.workers.pool.Pool;
import corral.workers.supervisor.Supervisor;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * What a reload-conf changes, app by app, against what each pool runs now (the file as last
 * loaded, or as {@code bin/control scale} left it: the file wins): apps that are new (to start),
 * apps whose instance count differs (to scale), apps whose launch changed (env, script, args, CPU
 * set...: to reload), apps whose cgroup or proxy limits alone changed (applied to the running
 * pool), and apps gone from the file (left running and reported until {@code delete}). Computed
 * before anything is applied, and shown to the operator.
 */
record ConfigDiff(List<AppConfig> added, List<Scaling> scaled, List<AppConfig> changed, List<AppConfig> limited,
                  List<String> removed, boolean rulesPresent) {

    /** A running pool of {@code from} instances that the file wants with {@code app.instances()}. */
    record Scaling(AppConfig app, int from) {
    }

    static ConfigDiff between(ConfigSet running, ConfigSet next, Supervisor supervisor) {
        List<AppConfig> added = new ArrayList<>();
        List<Scaling> scaled = new ArrayList<>();
        List<AppConfig> changed = new ArrayList<>();
        List<AppConfig> limited = new ArrayList<>();
        List<String> removed = new ArrayList<>();
        for (AppConfig app : next.ecosystem().apps()) {
            Optional<Pool> pool = supervisor.pool(app.name());
            if (pool.isEmpty()) {
                if (running.ecosystem().app(app.name()).isEmpty()) {
                    added.add(app);
                }
                continue; // deleted by the operator: it starts, with the new configuration, at the next start
            }
            AppConfig now = pool.get().config();
            if (now.instances() != app.instances()) {
                scaled.add(new Scaling(app, now.instances()));
            }
            AppConfig sameCount = now.withInstances(app.instances());
            if (!launchOf(sameCount).equals(launchOf(app))) {
                changed.add(app);
            } else if (!sameCount.equals(app)) {
                limited.add(app);
            }
        }
        for (AppConfig app : running.ecosystem().apps()) {
            if (next.ecosystem().app(app.name()).isEmpty()) {
                removed.add(app.name());
            }
        }
        return new ConfigDiff(added, scaled, changed, limited, removed, next.vhost().isPresent());
    }

    /**
     * What its instances are started with: everything but the limits a running pool takes as they
     * are (its cgroup's quota, weight and ceiling, its bulkhead and read timeout). Its CPU set stays: an
     * instance gets it when it starts.
     */
    private static AppConfig launchOf(AppConfig app) {
        ResourceLimits cpusOnly = new ResourceLimits(app.resources().cpus(), OptionalInt.empty(), OptionalInt.empty(), 0);
        return app.withLimits(cpusOnly, ProxyLimits.DEFAULTS);
    }

    boolean isEmpty() {
        return added.isEmpty() && scaled.isEmpty() && changed.isEmpty() && limited.isEmpty() && removed.isEmpty();
    }

    List<String> describe() {
        List<String> lines = new ArrayList<>();
        added.forEach(a -> lines.add("+ " + a.name() + ": new app, " + a.instances() + " instances: starting"));
        scaled.forEach(s -> lines.add("~ " + s.app().name() + ": instances " + s.from() + " -> " + s.app().instances()
                + ": scaling"));
        changed.forEach(a -> lines.add("~ " + a.name() + ": launch settings changed: rolling reload"));
        limited.forEach(a -> lines.add("~ " + a.name() + ": cgroup or proxy limits changed: applied to the running pool"));
        removed.forEach(n -> lines.add("- " + n + ": no longer in the file: left running until bin/control delete " + n));
        lines.add(rulesPresent ? "vhost rules swapped" : "no vhost rules");
        return lines;
    }
}
