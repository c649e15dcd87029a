package corral.workers.supervisor;

import corral.fixtures.SampleApp;
import corral.workers.config.AppConfig;
import corral.workers.config.Lifecycle;
import corral.workers.config.ProxyLimits;
import corral.workers.config.ResourceLimits;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/** AppConfigs that run the sample app.js, with short timings so tests finish fast. */
final class TestApps {

    private TestApps() {
    }

    static AppConfig sample(String name, int instances, Map<String, String> env) {
        return sample(name, instances, env, 0, 5);
    }

    static AppConfig sample(String name, int instances, Map<String, String> env, long maxMemory, int maxRestarts) {
        return sample(name, instances, env, maxMemory, maxRestarts, ResourceLimits.NONE);
    }

    /** test-fixtures/app/pm2-app.js: a worker that says 'ready' and obeys 'shutdown', as PM2 apps do. */
    static AppConfig pm2App(String name, int instances, Map<String, String> env, Lifecycle lifecycle) {
        return app(SampleApp.pm2AppJs(), name, instances, env, 0, 5, ResourceLimits.NONE).withLifecycle(lifecycle);
    }

    static AppConfig sample(String name, int instances, Map<String, String> env, long maxMemory, int maxRestarts,
                            ResourceLimits resources) {
        return app(SampleApp.appJs(), name, instances, env, maxMemory, maxRestarts, resources);
    }

    /**
     * As {@link #sample(String, int, Map, long, int)} with {@code min_uptime} given: an exit within it
     * is "young" however slowly a starved machine starts node.
     */
    static AppConfig sample(String name, int instances, Map<String, String> env, int maxRestarts, Duration minUptime) {
        return app(SampleApp.appJs(), name, instances, env, 0, maxRestarts, ResourceLimits.NONE, minUptime);
    }

    private static AppConfig app(Path js, String name, int instances, Map<String, String> env, long maxMemory,
                                 int maxRestarts, ResourceLimits resources) {
        return app(js, name, instances, env, maxMemory, maxRestarts, resources, Duration.ofMillis(1000));
    }

    private static AppConfig app(Path js, String name, int instances, Map<String, String> env, long maxMemory,
                                 int maxRestarts, ResourceLimits resources, Duration minUptime) {
        Map<String, String> merged = new HashMap<>(env);
        merged.putIfAbsent("APP_NAME", name);
        return new AppConfig(name, js.resolveSibling("pm2.json"), js, List.of(), js.getParent(),
                Optional.of("node"), List.of(), instances, OptionalInt.empty(), merged,
                Duration.ofMillis(800), Duration.ofSeconds(5), minUptime, maxRestarts,
                Duration.ZERO, Duration.ZERO, true, List.of(), maxMemory, false,
                Optional.empty(), Optional.empty(), Optional.empty(), "NODE_APP_INSTANCE", Optional.empty(),
                resources, ProxyLimits.DEFAULTS, Lifecycle.DEFAULT);
    }
}
