package corral.workers.readiness;

import corral.workers.config.AppConfig;

/** Tells whether an instance listening on a loopback port is ready for traffic. May block briefly. */
public interface ReadinessCheck {

    boolean isReady(int port);

    /** The check an app asks for: its {@code readiness_path}, else a TCP connect. */
    static ReadinessCheck forApp(AppConfig app) {
        return app.readinessPath().<ReadinessCheck>map(HttpPathCheck::new).orElseGet(TcpConnectCheck::new);
    }
}
