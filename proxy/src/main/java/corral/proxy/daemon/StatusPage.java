package corral.proxy.daemon;

import corral.proxy.status.Fleet;
import corral.proxy.status.StatusAddress;
import corral.proxy.status.StatusListener;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.util.Optional;
import org.xnio.XnioWorker;

/**
 * The daemon's status listener, where it answers ({@code status_url} in {@code status --json}),
 * or why there is none: turned off, or its port was taken when the daemon started. A taken
 * metrics port is logged and shown, not fatal: it must not keep the traffic from being served
 * (a second Corral on the machine would otherwise not start at all).
 */
record StatusPage(Optional<StatusListener> listener, Optional<String> url, Optional<String> problem)
        implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger("corral.daemon");
    /** No listener: {@code status.listen = off}, or the daemon has not opened it yet. */
    static final StatusPage NONE = new StatusPage(Optional.empty(), Optional.empty(), Optional.empty());

    static StatusPage open(Optional<StatusAddress> address, XnioWorker worker, PrometheusRegistry registry, Fleet fleet) {
        if (address.isEmpty()) {
            return NONE;
        }
        try {
            StatusListener listener = StatusListener.open(worker, address.get(), registry, fleet);
            LOG.log(System.Logger.Level.INFO, "status page and /metrics on " + address.get().url());
            return new StatusPage(Optional.of(listener), Optional.of(address.get().url()), Optional.empty());
        } catch (IOException e) {
            String why = e.getMessage() + ": running without /metrics and the status page (status.listen in corral.properties)";
            LOG.log(System.Logger.Level.WARNING, why);
            return new StatusPage(Optional.empty(), Optional.empty(), Optional.of(why));
        }
    }

    @Override
    public void close() {
        listener.ifPresent(StatusListener::close);
    }
}
