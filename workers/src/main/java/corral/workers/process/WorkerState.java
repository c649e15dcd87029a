package corral.workers.process;

/**
 * The life of one worker instance. Transitions (made only by its pool's loop thread):
 * <pre>
 * STARTING ─ready─► READY ─retire─► DRAINING ─drained/grace─► STOPPING ─exit─► EXITED
 *    │                │                                                  ▲
 *    └─exit/timeout───┴─exit (crash) ────────────────────────────────────┘
 * </pre>
 * A slot whose instance keeps dying young ends {@code ERRORED} (see {@code RestartPolicy}).
 */
public enum WorkerState {
    /** Spawned, not yet accepting connections: gets no traffic. */
    STARTING,
    /** Accepts connections: gets new requests. */
    READY,
    /** Out of the pool: no new requests, in-flight ones finish. */
    DRAINING,
    /** SIGINT sent; SIGKILL of the tree follows after the grace. */
    STOPPING,
    /** The process is gone. */
    EXITED,
    /** No process, and no more restarts: it died too often too young. */
    ERRORED,
    /** No process, on purpose (stopped by command, or exited with autorestart off). */
    STOPPED;

    /** True for the states in which the proxy may send it new requests. */
    public boolean routable() {
        return this == READY;
    }

    /** True while an OS process exists for it. */
    public boolean hasProcess() {
        return this == STARTING || this == READY || this == DRAINING || this == STOPPING;
    }
}
