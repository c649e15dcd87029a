/**
 * A pool is the running form of one app: a set of instance slots, each held by a worker process,
 * kept alive by the restart policy, replaced one by one on reload, when over the memory limit or
 * at the times of the app's {@code cron_restart}. Each instance starts with PM2's environment
 * and, under node, its IPC channel ({@code InstanceStart}).
 * All of a pool's state is owned by one loop thread; the world sees immutable {@link
 * corral.workers.pool.PoolView}s published to {@link corral.workers.pool.PoolListener}s.
 */
package corral.workers.pool;
