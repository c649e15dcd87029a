package corral.workers.pool;

import corral.workers.config.AppConfig;
import corral.workers.home.HomeLayout;
import corral.workers.ipc.Channel;
import corral.workers.ipc.ChannelServer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The command line and environment of one instance: the daemon's environment, the app's env, its
 * own {@code PORT} and instance number, and for an app run by node the preload and variables of
 * its IPC channel (put right after {@code node}, never in {@code NODE_OPTIONS}, which every node
 * the app starts would inherit).
 */
record InstanceStart(List<String> command, Map<String, String> env) {

    InstanceStart {
        command = List.copyOf(command);
        env = Map.copyOf(env);
    }

    static InstanceStart of(AppConfig app, PoolContext ctx, int index, int port,
                            Optional<ChannelServer> channels, Optional<Channel> channel) {
        Map<String, String> env = new HashMap<>(ctx.baseEnv());
        env.putAll(app.env());
        env.put("PORT", Integer.toString(port));
        env.put(app.instanceVar(), Integer.toString(index));
        env.put(HomeLayout.ENV, ctx.home().root().toString());
        env.put("CORRAL_APP", app.name());
        List<String> command = new ArrayList<>(app.command());
        if (channels.isPresent() && channel.isPresent()) {
            command.addAll(1, channels.get().nodeArgs());
            env.putAll(channels.get().env(channel.get()));
        }
        return new InstanceStart(command, env);
    }
}
