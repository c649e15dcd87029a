package corral.workers.pool;

import corral.workers.config.AppConfig;
import corral.workers.home.HomeLayout;
import corral.workers.ipc.Channel;
import corral.workers.logs.LogFiles;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The command line and environment of one instance: the daemon's environment, the app's env, its
 * own {@code PORT} and instance number, the variables PM2 gives each of its processes (docs/
 * pm2-compatibility.md, "PM2's environment"), and for an app run by node the preload and variables
 * of its IPC channel (put right after {@code node}, never in {@code NODE_OPTIONS}, which every
 * node the app starts would inherit).
 */
record InstanceStart(List<String> command, Map<String, String> env) {

    InstanceStart {
        command = List.copyOf(command);
        env = Map.copyOf(env);
    }

    static InstanceStart of(AppConfig app, PoolContext ctx, Slot slot, int port, Optional<Channel> channel) {
        Map<String, String> env = new HashMap<>(ctx.baseEnv());
        env.putAll(app.env());
        env.putAll(pm2Variables(app, ctx.logs(), slot));
        env.put("PORT", Integer.toString(port));
        env.put(app.instanceVar(), Integer.toString(slot.index));
        env.put(HomeLayout.ENV, ctx.home().root().toString());
        env.put(HomeLayout.APP_ENV, app.name()); // with the home, marks a worker for ResidualWorkers
        List<String> command = new ArrayList<>(app.command());
        if (channel.isPresent()) {
            var channels = ctx.channels().orElseThrow();
            command.addAll(1, channels.nodeArgs());
            env.putAll(channels.env(channel.get()));
        }
        return new InstanceStart(command, env);
    }

    /**
     * What PM2 puts in a process's environment from its own record of it, under PM2's names. Every
     * app is run the cluster way here, so {@code exec_mode} is always {@code cluster_mode}. No
     * {@code PM2_HOME}: there is no PM2 home, and an app that finds one would talk to a PM2 daemon.
     */
    private static Map<String, String> pm2Variables(AppConfig app, LogFiles logs, Slot slot) {
        return Map.of(
                "pm_id", Integer.toString(slot.pmId),
                "name", app.name(),
                "instances", Integer.toString(app.instances()),
                "exec_mode", "cluster_mode",
                "pm_exec_path", app.script().toString(),
                "pm_cwd", app.cwd().toString(),
                "pm_out_log_path", logs.pathFor(app, slot.index, LogFiles.Stream.OUT).toString(),
                "pm_err_log_path", logs.pathFor(app, slot.index, LogFiles.Stream.ERROR).toString(),
                "unique_id", slot.uniqueId.toString());
    }
}
