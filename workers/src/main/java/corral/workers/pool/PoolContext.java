package corral.workers.pool;

import corral.workers.cgroup.Cgroups;
import corral.workers.home.HomeLayout;
import corral.workers.ipc.ChannelServer;
import corral.workers.logs.LogFiles;
import corral.workers.logs.LogPumps;
import corral.workers.ports.PortAllocator;
import corral.workers.process.ProcessLauncher;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What every pool of one supervisor shares: how processes start, the port allocator, the log
 * files and the one thread that copies every worker's output to them, the proxy's drain gate, the clock, an executor for blocking work (probes, signals), the
 * daemon's environment that workers inherit, the home, the sequences of worker ids and of PM2's
 * {@code pm_id}s (one per slot, as PM2 numbers its processes), the
 * cgroups in which pools are limited (or the word that there are none), and the IPC channels
 * of node instances (none when the home's socket could not be bound).
 */
public record PoolContext(ProcessLauncher launcher, PortAllocator ports, LogFiles logs, LogPumps pumps,
                          DrainGate drain, Clock clock, ExecutorService io,
                          Map<String, String> baseEnv, HomeLayout home, AtomicLong ids, AtomicInteger pmIds, Cgroups cgroups,
                          Optional<ChannelServer> channels) {

    public PoolContext {
        baseEnv = Map.copyOf(baseEnv);
    }
}
