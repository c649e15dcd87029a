package corral.workers.process;

import java.time.Instant;

/**
 * An immutable picture of one worker instance, as published to listeners and shown by status.
 *
 * @param app       the app (pool) name
 * @param index     the instance index ({@code NODE_APP_INSTANCE}); a replacement keeps its index
 * @param id        unique per process started by this daemon: tells an old and a new instance apart
 * @param pid       the OS pid, or 0 when there is no process
 * @param processStart the process's start time in clock ticks since boot (with pid: its identity)
 * @param port      the loopback port it listens on, or 0
 * @param state     where it is in its life
 * @param startedAt when the process was started
 * @param restarts  how many times this slot has been restarted after an exit
 * @param rssBytes  resident memory of its process tree at the last check
 */
public record InstanceView(String app, int index, long id, long pid, long processStart, int port, WorkerState state,
                           Instant startedAt, int restarts, long rssBytes) {
}
