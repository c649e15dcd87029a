package corral.workers.pool;

import corral.workers.process.Worker;
import corral.workers.process.WorkerState;
import corral.workers.readiness.ReadinessCheck;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Probes a starting worker every 50 ms until it is ready or its {@code listen_timeout} has passed.
 * The probe itself (a connect, an HTTP request, a look at the IPC channel) runs on the io
 * executor; the verdict is acted on in the pool's loop, and only while the worker still starts.
 */
final class ReadinessWatch {

    private static final Duration PROBE_INTERVAL = Duration.ofMillis(50);

    private final ScheduledExecutorService loop;
    private final Executor io;
    private final Clock clock;
    /** The pool's check now: a reconfigure changes it for the probes still running. */
    private final Supplier<ReadinessCheck> check;

    ReadinessWatch(ScheduledExecutorService loop, Executor io, Clock clock, Supplier<ReadinessCheck> check) {
        this.loop = loop;
        this.io = io;
        this.clock = clock;
        this.check = check;
    }

    /** Starts probing {@code w}; on the loop, {@code onReady} or {@code onLate} runs once. */
    void watch(Worker w, Duration listenTimeout, Runnable onReady, Runnable onLate) {
        Instant deadline = clock.instant().plus(listenTimeout);
        loop.execute(() -> probe(w, deadline, onReady, onLate));
    }

    private void probe(Worker w, Instant deadline, Runnable onReady, Runnable onLate) {
        if (w.state() != WorkerState.STARTING) {
            return;
        }
        ReadinessCheck now = check.get();
        CompletableFuture.supplyAsync(() -> now.isReady(w), io)
                .thenAcceptAsync(ready -> {
                    if (w.state() != WorkerState.STARTING) {
                        return;
                    }
                    if (ready) {
                        onReady.run();
                    } else if (clock.instant().isAfter(deadline)) {
                        onLate.run();
                    } else {
                        loop.schedule(() -> probe(w, deadline, onReady, onLate), PROBE_INTERVAL.toMillis(),
                                TimeUnit.MILLISECONDS);
                    }
                }, loop);
    }
}
