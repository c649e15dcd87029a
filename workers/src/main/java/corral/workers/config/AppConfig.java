package corral.workers.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * One app of a PM2 ecosystem file, validated and resolved: every path absolute, every duration a
 * {@link Duration}, the environment already merged ({@code env} overlaid by {@code env_<name>}).
 * Built only by {@link EcosystemLoader}; nothing downstream re-checks it.
 *
 * @param name            the app name, unique in the file
 * @param source          the ecosystem file it came from (for messages)
 * @param script          absolute path of the script to run
 * @param args            arguments after the script
 * @param cwd             working directory of each instance (PM2: the file's directory unless set)
 * @param interpreter     the interpreter command ("node"), or empty to run the script itself
 * @param interpreterArgs arguments for the interpreter, before the script
 * @param instances       how many instances, already resolved from "max", -1 and the like (>= 1)
 * @param publicPort      the {@code PORT} of the app's env: the public listener the proxy owns
 * @param env             merged environment handed to each instance (PORT is replaced per instance)
 * @param killTimeout     the stop grace between SIGINT and SIGKILL
 * @param listenTimeout   how long a new instance may take to become ready
 * @param minUptime       an exit sooner than this after start counts as unstable
 * @param maxRestarts     unstable restarts in a row before the instance is {@code errored}
 * @param restartDelay    fixed delay before a restart
 * @param expBackoffRestartDelay first delay of the exponential backoff; zero when not used
 * @param autorestart     restart an instance that exits
 * @param stopExitCodes   exit codes after which no restart happens
 * @param maxMemoryBytes  RSS limit of an instance's process tree; 0 when unlimited
 * @param mergeLogs       one log file per app instead of one per instance
 * @param outFile         stdout log path as configured (absolute), or empty for the default
 * @param errorFile       stderr log path as configured (absolute), or empty for the default
 * @param logDateFormat   timestamp prefix pattern (dayjs style, as in PM2), or empty for none
 * @param instanceVar     name of the instance index variable (default NODE_APP_INSTANCE)
 * @param readinessPath   Corral extension: an HTTP path that must answer 2xx; empty = TCP connect
 * @param resources       Corral extension: CPU set, CPU quota, CPU weight and memory ceiling of the pool
 * @param proxy           Corral extension: the pool's bulkhead and read timeout in the proxy
 * @param lifecycle       {@code wait_ready} and {@code shutdown_with_message}: what goes over the IPC channel
 */
public record AppConfig(
        String name,
        Path source,
        Path script,
        List<String> args,
        Path cwd,
        Optional<String> interpreter,
        List<String> interpreterArgs,
        int instances,
        OptionalInt publicPort,
        Map<String, String> env,
        Duration killTimeout,
        Duration listenTimeout,
        Duration minUptime,
        int maxRestarts,
        Duration restartDelay,
        Duration expBackoffRestartDelay,
        boolean autorestart,
        List<Integer> stopExitCodes,
        long maxMemoryBytes,
        boolean mergeLogs,
        Optional<Path> outFile,
        Optional<Path> errorFile,
        Optional<String> logDateFormat,
        String instanceVar,
        Optional<String> readinessPath,
        ResourceLimits resources,
        ProxyLimits proxy,
        Lifecycle lifecycle) {

    public AppConfig {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(lifecycle, "lifecycle");
        Objects.requireNonNull(resources, "resources");
        Objects.requireNonNull(proxy, "proxy");
        args = List.copyOf(args);
        interpreterArgs = List.copyOf(interpreterArgs);
        env = Map.copyOf(env);
        stopExitCodes = List.copyOf(stopExitCodes);
        if (instances < 1) {
            throw new IllegalArgumentException("instances must be >= 1, was " + instances);
        }
    }

    /**
     * An app as a plain PM2 file describes it: no CPU set or cgroup limits, the proxy's default
     * bulkhead and read timeout, PM2's default lifecycle. For code that builds apps by hand and has no use for Corral's
     * isolation extensions.
     */
    public AppConfig(String name, Path source, Path script, List<String> args, Path cwd, Optional<String> interpreter,
                     List<String> interpreterArgs, int instances, OptionalInt publicPort, Map<String, String> env,
                     Duration killTimeout, Duration listenTimeout, Duration minUptime, int maxRestarts,
                     Duration restartDelay, Duration expBackoffRestartDelay, boolean autorestart,
                     List<Integer> stopExitCodes, long maxMemoryBytes, boolean mergeLogs, Optional<Path> outFile,
                     Optional<Path> errorFile, Optional<String> logDateFormat, String instanceVar,
                     Optional<String> readinessPath) {
        this(name, source, script, args, cwd, interpreter, interpreterArgs, instances, publicPort, env, killTimeout,
                listenTimeout, minUptime, maxRestarts, restartDelay, expBackoffRestartDelay, autorestart,
                stopExitCodes, maxMemoryBytes, mergeLogs, outFile, errorFile, logDateFormat, instanceVar,
                readinessPath, ResourceLimits.NONE, ProxyLimits.DEFAULTS, Lifecycle.DEFAULT);
    }

    /** The command line of one instance: interpreter, its args, the script, the script's args. */
    public List<String> command() {
        var cmd = new java.util.ArrayList<String>();
        interpreter.ifPresent(cmd::add);
        cmd.addAll(interpreterArgs);
        cmd.add(script.toString());
        cmd.addAll(args);
        return List.copyOf(cmd);
    }

    /** This app with other resource and proxy limits; everything else unchanged. */
    public AppConfig withLimits(ResourceLimits newResources, ProxyLimits newProxy) {
        return new AppConfig(name, source, script, args, cwd, interpreter, interpreterArgs, instances,
                publicPort, env, killTimeout, listenTimeout, minUptime, maxRestarts, restartDelay,
                expBackoffRestartDelay, autorestart, stopExitCodes, maxMemoryBytes, mergeLogs,
                outFile, errorFile, logDateFormat, instanceVar, readinessPath, newResources, newProxy, lifecycle);
    }

    /** This app with another instance count (used by scale); everything else unchanged. */
    public AppConfig withInstances(int n) {
        return new AppConfig(name, source, script, args, cwd, interpreter, interpreterArgs, n,
                publicPort, env, killTimeout, listenTimeout, minUptime, maxRestarts, restartDelay,
                expBackoffRestartDelay, autorestart, stopExitCodes, maxMemoryBytes, mergeLogs,
                outFile, errorFile, logDateFormat, instanceVar, readinessPath, resources, proxy, lifecycle);
    }

    /** This app with another {@link Lifecycle}; everything else unchanged. */
    public AppConfig withLifecycle(Lifecycle next) {
        return new AppConfig(name, source, script, args, cwd, interpreter, interpreterArgs, instances,
                publicPort, env, killTimeout, listenTimeout, minUptime, maxRestarts, restartDelay,
                expBackoffRestartDelay, autorestart, stopExitCodes, maxMemoryBytes, mergeLogs,
                outFile, errorFile, logDateFormat, instanceVar, readinessPath, resources, proxy, next);
    }

    /** True when instances run under node, and so can have the IPC channel PM2 apps use. */
    public boolean runsOnNode() {
        return interpreter.filter(AppConfig::isNode).isPresent();
    }

    /** {@code node}, {@code nodejs} or a path to one of them. */
    static boolean isNode(String command) {
        String program = Path.of(command).getFileName().toString();
        return program.equals("node") || program.equals("nodejs");
    }
}
