package corral.workers.pool;

import corral.workers.cgroup.PoolCgroup;
import corral.workers.config.AppConfig;
import corral.workers.ipc.Channel;
import corral.workers.logs.LineTail;
import corral.workers.logs.LogFiles;
import corral.workers.logs.StreamPump;
import corral.workers.logs.TimestampFormat;
import corral.workers.process.Worker;
import java.io.IOException;
import java.util.Optional;
import java.util.function.BooleanSupplier;

/**
 * Starts the process of one slot: a port, the IPC channel of a node instance, the environment,
 * the launch, the pool's cgroup, and the pumps that copy its output to its log files (on the
 * daemon's one log pump thread). Gives back what it took (port, channel) when a worker is gone.
 */
final class Spawner {

    private static final System.Logger LOG = System.getLogger("corral.pool");

    private final PoolContext ctx;
    private final PoolCgroup cgroup;

    Spawner(PoolContext ctx, PoolCgroup cgroup) {
        this.ctx = ctx;
        this.cgroup = cgroup;
    }

    /**
     * A running worker for the slot.
     *
     * @throws StartFailure when the process could not even be launched (logged, nothing held)
     */
    Worker spawn(AppConfig app, Slot slot, TimestampFormat timestamps) {
        int port = ctx.ports().acquire();
        long id = ctx.ids().incrementAndGet();
        Optional<Channel> channel = app.runsOnNode()
                ? ctx.channels().map(c -> c.open(id, app.name() + "[" + slot.index + "] (worker " + id + ")"))
                : Optional.empty();
        InstanceStart start = InstanceStart.of(app, ctx, slot, port, channel);
        Process process;
        try {
            process = ctx.launcher().launch(start.command(), app.cwd(), start.env(), app.resources().cpus());
        } catch (IOException e) {
            ctx.ports().release(port);
            closeChannel(channel);
            String reason = app.name() + "[" + slot.index + "]: cannot start " + String.join(" ", app.command())
                    + ": " + e.getMessage();
            LOG.log(System.Logger.Level.ERROR, reason);
            throw new StartFailure(reason);
        }
        admitToCgroup(app, slot, process.pid());
        LineTail tail = new LineTail(5);
        Worker w = new Worker(app.name(), slot.index, id, port, process,
                ctx.clock().instant(), slot.restarts, tail, channel);
        LogFiles logs = ctx.logs();
        // The process is gone once isAlive() says so: what its pipes hold then is all it wrote.
        BooleanSupplier exited = () -> !process.isAlive();
        w.pumping(
                ctx.pumps().add(new StreamPump(process.getInputStream(), exited,
                        logs.fileFor(app, slot.index, LogFiles.Stream.OUT), timestamps, null)),
                ctx.pumps().add(new StreamPump(process.getErrorStream(), exited,
                        logs.fileFor(app, slot.index, LogFiles.Stream.ERROR), timestamps, tail)));
        process.onExit().thenRun(ctx.pumps()::wake);
        return w;
    }

    /** The worker has exited: its port and channel go back. */
    void released(Worker w) {
        ctx.ports().release(w.port());
        closeChannel(w.channel());
    }

    private void closeChannel(Optional<Channel> channel) {
        channel.ifPresent(c -> ctx.channels().ifPresent(server -> server.close(c)));
    }

    /** Right after spawn, before the app has run much: its children are then born in the pool's cgroup. */
    private void admitToCgroup(AppConfig app, Slot slot, long pid) {
        try {
            cgroup.admit(pid);
        } catch (IOException e) {
            LOG.log(System.Logger.Level.ERROR, app.name() + "[" + slot.index + "] pid " + pid
                    + " runs outside the pool's cgroup (its limits do not hold it): " + e.getMessage());
        }
    }
}
