package corral.workers.readiness;

import corral.workers.config.AppConfig;
import corral.workers.process.Worker;

/** Tells whether a starting instance is ready for traffic. May block briefly. */
public interface ReadinessCheck {

    boolean isReady(Worker worker);

    /**
     * The check an app asks for: its {@code readiness_path}, else a TCP connect; with {@code
     * wait_ready}, only after the instance said {@code 'ready'} too.
     */
    static ReadinessCheck forApp(AppConfig app) {
        ReadinessCheck accepts = app.readinessPath().<ReadinessCheck>map(HttpPathCheck::new)
                .orElseGet(TcpConnectCheck::new);
        return app.lifecycle().waitReady() ? new ReadyMessageCheck(accepts) : accepts;
    }
}
