package corral.proxy.listen;

import com.codahale.metrics.Counter;
import com.codahale.metrics.MetricRegistry;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.xnio.XnioWorker;
import org.xnio.management.XnioServerMXBean;

/**
 * Says when a TLS listener reaches its connection bound ({@link ConnectionBudget}, enforced there
 * by XNIO's water marks) and when it is below it again: one log line each way,
 * {@code corral.listen.saturations} counts the times a bound was reached and
 * {@code corral.listen.saturated} is how many listeners are at theirs now, the plain ones included
 * (they say it themselves: {@link BoundedHttpListener}). It reads XNIO's per-server connection
 * counts once a second, on a thread of its own: the count is gathered by tasks on the IO threads,
 * which an IO thread must not wait for.
 */
public final class ConnectionWatch implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger("corral.listen");
    static final Duration EVERY = Duration.ofSeconds(1);

    private final XnioWorker worker;
    private final Counter saturations;
    private final Set<String> saturated = new HashSet<>(); // watch thread only
    private volatile int saturatedNow;
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "connection-watch");
        t.setDaemon(true);
        return t;
    });

    /** The plain listeners, which watch their own bound. */
    public interface PlainListeners {
        /** How many hold their bound now. */
        int saturated();

        /** Whether the listener bound to {@code address} (XNIO's form, ending in {@code :port}) is one. */
        boolean watches(String address);
    }

    private final PlainListeners plain;

    public ConnectionWatch(XnioWorker worker, MetricRegistry metrics, PlainListeners plain) {
        this.worker = worker;
        this.plain = plain;
        this.saturations = metrics.counter("corral.listen.saturations");
        metrics.gauge("corral.listen.saturated", () -> () -> saturatedNow + plain.saturated());
    }

    /** Starts watching, once a second. */
    public ConnectionWatch start() {
        thread.scheduleWithFixedDelay(this::check, EVERY.toMillis(), EVERY.toMillis(), TimeUnit.MILLISECONDS);
        return this;
    }

    private void check() {
        try {
            Set<String> seen = new HashSet<>();
            for (XnioServerMXBean server : worker.getMXBean().getServerMXBeans()) {
                String address = server.getBindAddress();
                if (plain.watches(address)) {
                    continue;
                }
                seen.add(address);
                int count = server.getConnectionCount();
                int high = server.getConnectionLimitHighWater();
                if (count >= high && saturated.add(address)) {
                    saturations.inc();
                    LOG.log(System.Logger.Level.WARNING, "listener " + address + " holds " + count
                            + " connections, its limit: new connections wait in the kernel's backlog"
                            + " (client.max.connections, or the open-file limit)");
                } else if (count < server.getConnectionLimitLowWater() && saturated.remove(address)) {
                    LOG.log(System.Logger.Level.WARNING, "listener " + address + " accepts again (" + count
                            + " connections)");
                }
            }
            saturated.retainAll(seen);
            saturatedNow = saturated.size();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot read the listeners' connection counts: " + e);
        }
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}
