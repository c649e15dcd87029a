package corral.workers.readiness;

import corral.workers.process.Worker;

/**
 * PM2's {@code wait_ready}: ready once the instance sent {@code process.send('ready')} over its
 * IPC channel. PM2 then routes to it at once; Corral also waits until {@code then} holds (the port
 * accepts connections, or readiness_path answers), so that an app that says ready before it
 * listens gets no request it would refuse.
 */
public final class ReadyMessageCheck implements ReadinessCheck {

    private final ReadinessCheck then;

    public ReadyMessageCheck(ReadinessCheck then) {
        this.then = then;
    }

    @Override
    public boolean isReady(Worker worker) {
        return worker.channel().map(channel -> channel.saidReady()).orElse(false) && then.isReady(worker);
    }
}
