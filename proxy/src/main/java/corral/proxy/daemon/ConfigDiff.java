package corral.proxy.daemon;

import corral.workers.config.AppConfig;
import corral.workers.supervisor.Supervisor;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What a reload-conf changes, app by app: apps that are new (to start), apps whose instance count
 * changed (to scale), apps whose launch changed (env, script, args...: to reload), and apps gone
 * from the file (left running and reported until {@code delete}). Computed before anything is
 * applied, and shown to the operator.
 */
record ConfigDiff(List<AppConfig> added, List<AppConfig> scaled, List<AppConfig> changed, List<String> removed,
                  boolean rulesPresent) {

    static ConfigDiff between(ConfigSet running, ConfigSet next, Supervisor supervisor) {
        List<AppConfig> added = new ArrayList<>();
        List<AppConfig> scaled = new ArrayList<>();
        List<AppConfig> changed = new ArrayList<>();
        List<String> removed = new ArrayList<>();
        for (AppConfig app : next.ecosystem().apps()) {
            Optional<AppConfig> before = running.ecosystem().app(app.name());
            if (before.isEmpty()) {
                added.add(app);
                continue;
            }
            if (supervisor.pool(app.name()).isEmpty()) {
                continue; // not running: it will start with the new configuration
            }
            if (before.get().instances() != app.instances()) {
                scaled.add(app);
            }
            if (!before.get().withInstances(app.instances()).equals(app)) {
                changed.add(app);
            }
        }
        for (AppConfig app : running.ecosystem().apps()) {
            if (next.ecosystem().app(app.name()).isEmpty()) {
                removed.add(app.name());
            }
        }
        return new ConfigDiff(added, scaled, changed, removed, next.vhost().isPresent());
    }

    boolean isEmpty() {
        return added.isEmpty() && scaled.isEmpty() && changed.isEmpty() && removed.isEmpty();
    }

    List<String> describe() {
        List<String> lines = new ArrayList<>();
        added.forEach(a -> lines.add("+ " + a.name() + ": new app, " + a.instances() + " instances: starting"));
        scaled.forEach(a -> lines.add("~ " + a.name() + ": instances -> " + a.instances() + ": scaling"));
        changed.forEach(a -> lines.add("~ " + a.name() + ": launch settings changed: rolling reload"));
        removed.forEach(n -> lines.add("- " + n + ": no longer in the file: left running until bin/control delete " + n));
        lines.add(rulesPresent ? "vhost rules swapped" : "no vhost rules");
        return lines;
    }
}
