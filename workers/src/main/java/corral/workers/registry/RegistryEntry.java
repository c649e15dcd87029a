package corral.workers.registry;

/**
 * One live worker process as recorded on disk. The pid alone is not enough to find it again
 * (pids are recycled); pid and start time together are.
 */
public record RegistryEntry(String app, int index, long pid, long startTime, int port) {
}
