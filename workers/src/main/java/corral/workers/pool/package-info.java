/**
 * A pool is the running form of one app: a set of instance slots, each held by a worker process,
 * kept alive by the restart policy, replaced one by one on reload, when over the memory limit or
 * at the times of the app's {@code cron_restart}. Each instance starts with PM2's environment
 * and, under node, its IPC channel ({@code InstanceStart}).
 *
 * <p>All of a pool's state is owned by one loop thread; the world sees immutable {@link
 * corral.workers.pool.PoolView}s published to {@link corral.workers.pool.PoolListener}s.
 * {@link corral.workers.pool.Pool} takes the commands and wires the parts, each one concern:
 * {@code Lifecycle} (spawn, ready, exit, restart), {@code Spawner}, {@code ReadinessWatch},
 * {@code Retirement} (drain, signals), {@code Replacements} (reload, cron, memory),
 * {@code MemoryWatch}, {@code ViewPublisher}; {@code Slot} and {@code Slots} hold the state and
 * its rules.
 *
 * <p>Must not: know HTTP or the proxy (it meets the proxy only through {@code PoolListener} and
 * {@code DrainGate}), block its loop thread (probes and signals run on the io executor), or read
 * {@code /proc} other than through {@code corral.workers.proc}.
 */
package corral.workers.pool;
