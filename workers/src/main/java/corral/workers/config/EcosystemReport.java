package corral.workers.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What {@code bin/control check} prints, in the manner of {@code nginx -t}: for a file that
 * loads, one line per app with what Corral will run, then the warnings, then {@code OK}; for one
 * that does not, every error, the warnings, and a last line saying the check failed.
 */
public final class EcosystemReport {

    private EcosystemReport() {
    }

    /** The report of a file that loaded; its last line is {@code OK}. */
    public static List<String> render(Ecosystem ecosystem) {
        var lines = new ArrayList<String>();
        ecosystem.apps().forEach(app -> lines.add(describe(app)));
        ecosystem.warnings().forEach(warning -> lines.add("warning: " + warning.message()));
        lines.add("OK");
        return List.copyOf(lines);
    }

    /** The report of a file that did not load; its last line says so and how many errors. */
    public static List<String> render(ConfigException failure) {
        var lines = new ArrayList<String>();
        failure.errors().forEach(error -> lines.add("error: " + error.message()));
        failure.warnings().forEach(warning -> lines.add("warning: " + warning.message()));
        int count = failure.errors().size();
        lines.add(failure.errors().get(0).file() + ": check failed, " + count + (count == 1 ? " error" : " errors"));
        return List.copyOf(lines);
    }

    /**
     * One app on one line: {@code nuomi: 14 instances, public port 8197, node app.js,
     * kill_timeout 1000 ms, listen_timeout 3000 ms, max memory 500M, merge_logs false}, followed by
     * PM2's lifecycle options and Corral's isolation extensions when the app sets any.
     */
    public static String describe(AppConfig app) {
        return app.name() + ": "
                + app.instances() + (app.instances() == 1 ? " instance" : " instances")
                + ", " + (app.publicPort().isPresent() ? "public port " + app.publicPort().getAsInt() : "no public port")
                + ", " + String.join(" ", commandShownFrom(app))
                + ", kill_timeout " + app.killTimeout().toMillis() + " ms"
                + ", listen_timeout " + app.listenTimeout().toMillis() + " ms"
                + ", max memory " + (app.maxMemoryBytes() > 0 ? ByteSize.format(app.maxMemoryBytes()) : "unlimited")
                + ", merge_logs " + app.mergeLogs()
                + lifecycle(app.lifecycle())
                + isolation(app);
    }

    /** PM2's lifecycle options, when the app sets any: {@code , wait_ready, shutdown_with_message, cron_restart 0 3 * * *}. */
    private static String lifecycle(Lifecycle lifecycle) {
        return (lifecycle.waitReady() ? ", wait_ready" : "") + (lifecycle.shutdownWithMessage() ? ", shutdown_with_message" : "")
                + lifecycle.cronRestart().map(cron -> ", cron_restart " + cron.expression()).orElse("");
    }

    /** Corral's extensions, when the app sets any: {@code , cpus 0-13, cpu_quota 800%, cpu_weight 50, memory_max 6G, proxy ...}. */
    private static String isolation(AppConfig app) {
        var text = new StringBuilder();
        ResourceLimits resources = app.resources();
        resources.cpus().ifPresent(cpus -> text.append(", cpus ").append(cpus));
        resources.cpuQuotaPercent().ifPresent(quota -> text.append(", cpu_quota ").append(quota).append('%'));
        resources.cpuWeight().ifPresent(weight -> text.append(", cpu_weight ").append(weight));
        if (resources.memoryMaxBytes() > 0) {
            text.append(", memory_max ").append(ByteSize.format(resources.memoryMaxBytes()));
        }
        ProxyLimits proxy = app.proxy();
        if (!proxy.equals(ProxyLimits.DEFAULTS)) {
            text.append(", proxy: read timeout ").append(proxy.readTimeout().toMillis()).append(" ms, ")
                    .append(proxy.maxInFlight()).append(" in flight, ").append(proxy.maxQueued()).append(" queued");
        }
        return text.toString();
    }

    /** The command line, with the script relative to the file's directory when it is inside it. */
    private static List<String> commandShownFrom(AppConfig app) {
        Path dir = app.source().toAbsolutePath().normalize().getParent();
        String script = app.script().startsWith(dir) ? dir.relativize(app.script()).toString() : app.script().toString();
        var command = new ArrayList<String>();
        app.interpreter().ifPresent(command::add);
        command.addAll(app.interpreterArgs());
        command.add(script);
        command.addAll(app.args());
        return command;
    }
}
