package corral.workers.process;

import corral.workers.ipc.Channel;
import corral.workers.logs.LineTail;
import corral.workers.proc.ProcFs;
import corral.workers.proc.ProcessTree;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * One running worker process. Its identity (pid, start time, port, index) never changes; its
 * {@link #state()} is changed only by the owning pool's loop thread through {@link #moveTo}.
 * {@link #ready()} completes when it becomes ready (or fails if it dies or times out first);
 * {@link #exited()} completes with the exit code once the process is gone.
 */
public final class Worker {

    private final String app;
    private final int index;
    private final long id;
    private final int port;
    private final Process process;
    private final long startTime;
    private final Instant startedAt;
    private final int restarts;
    private final LineTail stderrTail;
    private final Optional<Channel> channel;
    private final CompletableFuture<Worker> ready = new CompletableFuture<>();
    private final CompletableFuture<Integer> exited = new CompletableFuture<>();

    private volatile CompletableFuture<Void> logsClosed = CompletableFuture.completedFuture(null);
    private volatile WorkerState state = WorkerState.STARTING;
    private volatile long rssBytes;
    private volatile Map<Long, Long> tree = Map.of();

    public Worker(String app, int index, long id, int port, Process process, Instant startedAt,
                  int restarts, LineTail stderrTail, Optional<Channel> channel) {
        this.app = app;
        this.index = index;
        this.id = id;
        this.port = port;
        this.process = process;
        this.startTime = ProcFs.startTime(process.pid()).orElse(0);
        this.startedAt = startedAt;
        this.restarts = restarts;
        this.stderrTail = stderrTail;
        this.channel = channel;
    }

    public int index() {
        return index;
    }

    public long id() {
        return id;
    }

    public int port() {
        return port;
    }

    public long pid() {
        return process.pid();
    }

    /** Clock ticks since boot when the process started: with the pid, names it for good. */
    public long startTime() {
        return startTime;
    }

    public Instant startedAt() {
        return startedAt;
    }

    public WorkerState state() {
        return state;
    }

    public Process process() {
        return process;
    }

    /** Its IPC channel, when it has one (apps run by node). */
    public Optional<Channel> channel() {
        return channel;
    }

    public CompletableFuture<Worker> ready() {
        return ready;
    }

    public CompletableFuture<Integer> exited() {
        return exited;
    }

    /** Completes when both of its output streams have ended and were written to their files. */
    public CompletableFuture<Void> logsClosed() {
        return logsClosed;
    }

    /** Records the futures of the pumps that copy its output. */
    public void pumping(CompletableFuture<Void> out, CompletableFuture<Void> err) {
        logsClosed = CompletableFuture.allOf(out, err);
    }

    /** Moves to {@code next}; only the owning pool's loop thread calls this. */
    public void moveTo(WorkerState next) {
        state = next;
        if (next == WorkerState.READY) {
            ready.complete(this);
        }
    }

    /** Records the latest memory figure and process tree (from the memory watch). */
    public void observe(long rss, Map<Long, Long> treeNow) {
        this.rssBytes = rss;
        this.tree = treeNow;
    }

    public long rssBytes() {
        return rssBytes;
    }

    /** The last lines the worker wrote to stderr, for error messages. */
    public List<String> stderrTail() {
        return stderrTail.lines();
    }

    /** "{@code <worker> <what>}", with its last stderr lines: the text of a failure an operator reads. */
    public String failure(String what) {
        List<String> tail = stderrTail();
        String text = this + " " + what;
        return tail.isEmpty() ? text : text + "; last stderr lines:\n  " + String.join("\n  ", tail);
    }

    /**
     * Asks the worker to stop, after remembering its tree for the final kill: with the message
     * {@code 'shutdown'} over its channel when {@code withMessage} and it is connected (PM2's
     * {@code shutdown_with_message}), else SIGINT.
     */
    public void interrupt(boolean withMessage) {
        remember();
        if (withMessage && channel.map(c -> c.send("shutdown")).orElse(false)) {
            return;
        }
        ProcessTree.signal(pid(), "INT");
    }

    /** SIGKILLs the worker's process group and every process of its tree seen so far. */
    public void killTree() {
        remember();
        ProcessTree.killTree(pid(), tree);
    }

    private void remember() {
        if (process.isAlive()) {
            var now = new HashMap<>(tree);
            now.putAll(ProcessTree.snapshot(pid()));
            tree = Map.copyOf(now);
        }
    }

    public InstanceView view() {
        return new InstanceView(app, index, id, pid(), startTime, port, state, startedAt, restarts, rssBytes);
    }

    @Override
    public String toString() {
        return app + "[" + index + "] pid " + pid() + " port " + port;
    }
}
