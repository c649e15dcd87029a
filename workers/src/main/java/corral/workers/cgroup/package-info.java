/**
 * One cgroup per pool, so that the kernel enforces a pool's CPU quota, CPU weight and memory
 * ceiling ({@code cpu_quota}, {@code cpu_weight}, {@code memory_max}) and counts its CPU time and
 * memory exactly.
 *
 * <p>{@link corral.workers.cgroup.Cgroups} finds out once what this machine offers: cgroup v2
 * where it is mounted with the cpu and memory controllers and writable, else cgroup v1's cpu and
 * memory hierarchies, else nothing (no root, no delegation, a read-only mount), with the reason.
 * It makes a Corral parent per home ({@code corral-<hash of the home>}, so two homes never share
 * one) under the daemon's own cgroup, and in it a {@link corral.workers.cgroup.PoolCgroup} per
 * pool; a pool's instances are moved in right after they start, and its directory is removed
 * when the pool is deleted or the daemon stops. Without cgroups a pool runs with its CPU set
 * only, and {@code check}, {@code start} and {@code status} say so.
 */
package corral.workers.cgroup;
