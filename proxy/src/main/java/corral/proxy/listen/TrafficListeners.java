package corral.proxy.listen;

import com.codahale.metrics.Counter;
import com.codahale.metrics.MetricRegistry;
import corral.proxy.health.Availability;
import corral.proxy.health.HealthHandler;
import corral.proxy.limit.LimitCounts;
import corral.proxy.rules.Router;
import corral.proxy.strict.StrictFraming;
import corral.proxy.status.HttpRequests;
import corral.workers.proc.PortHolder;
import io.undertow.UndertowOptions;
import io.undertow.connector.ByteBufferPool;
import io.undertow.server.DefaultByteBufferPool;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import corral.proxy.tls.SwappableSslContext;
import corral.proxy.tls.TlsListener;
import corral.proxy.tls.TlsPort;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.function.ToIntFunction;
import org.xnio.OptionMap;
import org.xnio.XnioWorker;

/**
 * The daemon's traffic ports. {@link #apply} makes the open ports equal to a map of port to
 * role: new ports are checked (a foreign holder is named) and opened, ports no longer wanted are
 * closed, and a port whose role changed serves its new role from the next request on. All ports
 * share one XNIO worker, so the proxy's IO threads do not multiply with the listeners.
 */
public final class TrafficListeners implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger("corral.listen");

    private final XnioWorker worker;
    private final String bindAddress;
    private final ClientLimits client;
    private final String healthPath;
    private final Availability availability;
    private final Supplier<Router> rules;
    private final HttpHandler forward;
    private final MetricRegistry metrics;
    private final HttpRequests requests;
    /** What limit_req and limit_conn did, whichever port a request came in on. */
    private final LimitCounts limitCounts = new LimitCounts();
    private final LimitGate limitGate = new LimitGate(limitCounts);
    /** How to stop each open port. */
    private final Map<Integer, Runnable> open = new HashMap<>();
    private final Map<Integer, BoundedHttpListener> bounded = new ConcurrentHashMap<>();
    /**
     * The buffers every connection of the plain and TLS listeners, and every connection to an
     * instance, is read and written with (a body is relayed a buffer at a time). 32 KB, not the
     * 16 KB Undertow's builder picks: a 20 KB page then comes from the instance in one read and
     * goes to the client in one writev with its header, where 16 KB took two of each (issue 12:
     * 9.3 -> 6.9 system calls and 66 -> 51 us of CPU per page, bench/proxy-ab --path /h5/page/x).
     * nginx holds as much for a proxied answer (proxy_buffers 8 x 4 KB); a buffer is taken per
     * read or transfer, not per idle connection.
     */
    private final ByteBufferPool buffers = new DefaultByteBufferPool(true, 32 * 1024, -1, 4);
    private final Counter idleClosed;
    private final Counter saturations;
    /** The TLS ports' contexts: a reload swaps the certificates in place, for new handshakes. */
    private final Map<Integer, SwappableSslContext> tls = new HashMap<>();
    private final AtomicReference<Map<Integer, PortRole>> roles = new AtomicReference<>(Map.of());
    private final VhostLogging logging = new VhostLogging();
    private volatile ConnectionBudget budget = new ConnectionBudget(Integer.MAX_VALUE, Optional.empty());

    public TrafficListeners(XnioWorker worker, String bindAddress, ClientLimits client, String healthPath,
                            Availability availability, Supplier<Router> rules, HttpHandler forward, MetricRegistry metrics,
                            HttpRequests requests) {
        this.metrics = metrics;
        this.idleClosed = metrics.counter("corral.listen.idle_closed");
        this.saturations = metrics.counter("corral.listen.saturations");
        // As nginx's stub_status: "Active connections", and "Waiting" (those that may be closed to make room).
        metrics.gauge("corral.listen.connections", () -> () -> sum(BoundedHttpListener::connections));
        metrics.gauge("corral.listen.idle", () -> () -> sum(BoundedHttpListener::idle));
        metrics.gauge("corral.listen.saturated", () -> () -> sum(l -> l.saturated() ? 1 : 0));
        this.requests = requests;
        this.worker = worker;
        this.bindAddress = bindAddress;
        this.client = client;
        this.healthPath = healthPath;
        this.availability = availability;
        this.rules = rules;
        this.forward = forward;
    }

    /** Checks that every port in {@code wanted} that is not ours yet is free; names the holder if not. */
    public synchronized void checkFree(Map<Integer, PortRole> wanted) throws IOException {
        for (int port : wanted.keySet()) {
            if (!open.containsKey(port)) {
                requireFree(wanted.get(port).bindHost(bindAddress), port);
            }
        }
    }

    /** Opens, closes and re-roles ports so that exactly {@code wanted} are served. */
    public synchronized void apply(Map<Integer, PortRole> wanted) throws IOException {
        checkFree(wanted);
        roles.set(Map.copyOf(wanted));
        for (var it = open.entrySet().iterator(); it.hasNext();) {
            var e = it.next();
            PortRole role = wanted.get(e.getKey());
            boolean wasTls = tls.containsKey(e.getKey());
            if (role == null || role.tls().isPresent() != wasTls) {
                LOG.log(System.Logger.Level.INFO, "closing port " + e.getKey());
                e.getValue().run();
                tls.remove(e.getKey());
                it.remove();
            } else if (wasTls) {
                swap(tls.get(e.getKey()), role.tls().get());
            }
        }
        for (int port : new TreeMap<>(wanted).keySet()) {
            if (!open.containsKey(port)) {
                String host = wanted.get(port).bindHost(bindAddress);
                open.put(port, listen(host, port, wanted.get(port).tls()));
                LOG.log(System.Logger.Level.INFO, "listening on " + host + ":" + port + " (" + wanted.get(port) + ")");
            }
        }
    }

    /** Bounds the connections of each listener opened from now on (see {@link ConnectionBudget}). */
    public void limitConnections(ConnectionBudget budget) {
        this.budget = budget;
    }

    /** What limit_req and limit_conn did since the listeners started. */
    public LimitCounts limitCounts() {
        return limitCounts;
    }

    /** Where the vhost ports' requests are logged ({@code access_log}, or Corral's own access log). */
    public VhostLogging logging() {
        return logging;
    }

    /** The current port roles. */
    public Map<Integer, PortRole> roles() {
        return roles.get();
    }

    private static void swap(SwappableSslContext context, TlsPort port) throws IOException {
        try {
            context.swap(port);
        } catch (GeneralSecurityException e) {
            throw new IOException("port " + port.port() + ": TLS: " + e.getMessage(), e);
        }
    }

    private Runnable listen(String host, int port, Optional<TlsPort> tlsPort) throws IOException {
        HttpHandler chain = new ListenerMetrics(metrics, requests.listener(port), port, logging.front(rules,
                () -> roles.get().get(port) instanceof PortRole.Vhost, new StrictFraming(new HealthHandler(
                healthPath, availability, new PortHealthScope(port, roles::get, rules), new Dispatch(port)))));
        InetSocketAddress address = new InetSocketAddress(host, port);
        OptionMap options = OptionMap.builder().set(UndertowOptions.BUFFER_PIPELINED_DATA, true)
                .addAll(serverOptions()).getMap();
        BoundedHttpListener listener;
        if (tlsPort.isEmpty()) {
            listener = BoundedHttpListener.open(worker, address, buffers, options, chain, budget, idleClosed, saturations);
        } else {
            SwappableSslContext context = TlsListener.context(tlsPort.get());
            listener = BoundedHttpListener.openTls(worker, address, buffers,
                    OptionMap.builder().addAll(options).set(UndertowOptions.ENABLE_HTTP2, tlsPort.get().http2()).getMap(),
                    context, tlsPort.get().http2(), chain, budget, idleClosed, saturations);
            tls.put(port, context);
        }
        bounded.put(port, listener);
        return () -> {
            bounded.remove(port);
            listener.stop();
        };
    }

    /** Every traffic listener's server options. */
    private OptionMap serverOptions() {
        return OptionMap.builder().addAll(StrictFraming.options())
                .set(UndertowOptions.NO_REQUEST_TIMEOUT, (int) client.idleTimeout().toMillis())
                .set(UndertowOptions.ALWAYS_SET_KEEP_ALIVE, false)
                .set(UndertowOptions.RECORD_REQUEST_START_TIME, true)
                // Bodies are streamed, never buffered whole: allow large uploads (Undertow's default is 2 MB).
                .set(UndertowOptions.MAX_ENTITY_SIZE, client.maxBodyBytes())
                .set(UndertowOptions.MAX_HEADER_SIZE, client.maxHeaderBytes())
                // Undertow waits for ever by default: a client that sends its head slowly (slowloris)
                // or nothing at all would hold a connection and a file descriptor for good.
                .set(UndertowOptions.REQUEST_PARSE_TIMEOUT, (int) client.headerTimeout().toMillis())
                .getMap();
    }

    private int sum(ToIntFunction<BoundedHttpListener> figure) {
        return bounded.values().stream().mapToInt(figure).sum();
    }

    private static void requireFree(String host, int port) throws IOException {
        try (ServerSocket probe = new ServerSocket()) {
            probe.setReuseAddress(true);
            probe.bind(new InetSocketAddress(host, port));
        } catch (IOException e) {
            throw new IOException(PortHolder.describe(port), e);
        }
    }

    @Override
    public synchronized void close() {
        open.values().forEach(Runnable::run);
        open.clear();
        tls.clear();
    }

    /** Routes by the port's current role. */
    private final class Dispatch implements HttpHandler {
        private final int port;
        private final HttpHandler vhost;
        private final Map<String, HttpHandler> apps = new java.util.concurrent.ConcurrentHashMap<>();

        Dispatch(int port) {
            this.port = port;
            this.vhost = new VhostRouteHandler(rules, forward, limitGate, logging);
        }

        @Override
        public void handleRequest(HttpServerExchange exchange) throws Exception {
            PortRole role = roles.get().get(port);
            if (role instanceof PortRole.App a) {
                apps.computeIfAbsent(a.app(), name -> new AppRouteHandler(name, forward)).handleRequest(exchange);
            } else if (role instanceof PortRole.Vhost) {
                vhost.handleRequest(exchange);
            } else {
                exchange.setStatusCode(503);
                exchange.getResponseSender().send("503 Service Unavailable: port " + port + " is closing\n");
            }
        }
    }
}
