package corral.proxy.listen;

import com.codahale.metrics.Counter;
import io.undertow.connector.ByteBufferPool;
import io.undertow.connector.PooledByteBuffer;
import io.undertow.protocols.ssl.UndertowXnioSsl;
import io.undertow.server.ConnectorStatistics;
import io.undertow.server.DelegateOpenListener;
import io.undertow.server.OpenListener;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.protocol.http.AlpnOpenListener;
import io.undertow.server.protocol.http.HttpOpenListener;
import io.undertow.server.protocol.http2.Http2OpenListener;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLContext;
import org.xnio.ChannelListener;
import org.xnio.ChannelListeners;
import org.xnio.IoUtils;
import org.xnio.OptionMap;
import org.xnio.Options;
import org.xnio.StreamConnection;
import org.xnio.XnioWorker;
import org.xnio.channels.AcceptingChannel;
import org.xnio.conduits.StreamSourceConduit;
import org.xnio.ssl.SslConnection;

/**
 * A traffic listener, plain HTTP or TLS (HTTP/1.1, and HTTP/2 by ALPN), that owns its accept step,
 * so it sees each connection and bounds them as nginx bounds a worker's: when it holds nearly its
 * bound ({@code bound - max(1, bound / 16)}, nginx's {@code free_connection_n <= connection_n / 16})
 * each accept first closes a batch of the oldest idle connections ({@link IdleConnections}), so a
 * newcomer finds room while any connection is only waiting: for a request on a keep-alive
 * connection, for the first request of a new one (nginx's {@code ngx_http_wait_request_handler}
 * marks it reusable too), or, on HTTP/2, with no stream open ({@link ClientConnection}). At the
 * bound XNIO holds accepts back (its water marks, both at the bound: it accepts again as soon as
 * one closes, no back-off) and newcomers wait in the kernel's backlog; a connection that goes idle
 * then is closed at once to let one in, since XNIO cannot say whether one waits. One log line
 * when it reaches its bound and one when it holds fewer than half of it again (so a listener kept
 * at its bound by a flood says it once, not at every close).
 *
 * <p>Undertow's {@code Undertow.Builder} gives no hook on accept; this is what it does for an
 * HTTP or HTTPS listener ({@link HttpOpenListener}, behind {@link AlpnOpenListener} for HTTP/2,
 * behind an accept listener), with our step in between. Suspending accepts ourselves
 * ({@code suspendAccepts}) at the bound was tried and dropped: under a flood it stalled other
 * listeners' connections on the shared IO threads.
 *
 * <p>Closing connections that have sent nothing holds no more descriptors than the bound: a
 * closed socket's descriptor is freed when its IO thread next selects, and the closes run on the
 * IO threads as tasks between selects. Measured with {@code FdFloodIT}'s daemon (open-file limit
 * 256, 20 connections per listener) under 1,000 such connections from 4 threads: at most 96
 * descriptors open in the daemon, other ports and {@code /health} answering.
 */
final class BoundedHttpListener implements ChannelListener<AcceptingChannel<? extends StreamConnection>> {

    private static final System.Logger LOG = System.getLogger("corral.listen");

    private final ConnectionBudget budget;
    private final OpenListener open;
    private final IdleConnections idle;
    private final Counter saturations;
    private final AcceptingChannel<? extends StreamConnection> server;
    private final String address;
    /**
     * Each open connection's state, for its exchanges to find, by its client's address: an HTTP/2
     * stream shows that, not its connection.
     */
    private final Map<SocketAddress, ClientConnection> connections = new ConcurrentHashMap<>();
    private int count;          // guarded by this
    private boolean saturated;  // guarded by this

    /** Binds the listener's socket; Undertow's accept step is {@code accept}. */
    @FunctionalInterface
    interface Bind {
        AcceptingChannel<? extends StreamConnection> bind(ChannelListener<AcceptingChannel<? extends StreamConnection>> accept,
                                                          OptionMap options) throws IOException;
    }

    private BoundedHttpListener(XnioWorker worker, String address, OpenListener open, Bind bind, HttpHandler chain,
                                ConnectionBudget budget, Counter idleClosed, Counter saturations) throws IOException {
        this.budget = budget;
        this.saturations = saturations;
        this.idle = new IdleConnections(idleClosed, this::idleJoined);
        this.address = address;
        this.open = open;
        // Undertow 2.4's HttpReadListener wraps this root in a new HostHeaderHandler on every HTTP/1
        // request, unconditionally (no option turns it off): its substrings and IPv4 regex Matcher
        // are ~6 % of a `return 200` request's heap bytes, and its 400 for a malformed Host comes
        // before the strict front door. Not ours to drop without forking Undertow's read listener.
        open.setRootHandler(new TrackExchanges(chain));
        this.server = bind.bind(this, OptionMap.builder()
                .set(Options.WORKER_IO_THREADS, worker.getIoThreadCount())
                .set(Options.TCP_NODELAY, true)
                .set(Options.REUSE_ADDRESSES, true)
                .set(Options.BALANCING_TOKENS, 1)
                .set(Options.BALANCING_CONNECTIONS, 2)
                .set(Options.BACKLOG, 1000)
                // XNIO holds accepts back at the bound; equal marks: it accepts again as soon as one closes.
                .set(Options.CONNECTION_HIGH_WATER, budget.perListener())
                .set(Options.CONNECTION_LOW_WATER, budget.perListener())
                .getMap());
    }

    /** Opens a plain HTTP listener and starts accepting. */
    static BoundedHttpListener open(XnioWorker worker, InetSocketAddress address, ByteBufferPool buffers,
                                    OptionMap undertowOptions, HttpHandler chain, ConnectionBudget budget,
                                    Counter idleClosed, Counter saturations) throws IOException {
        BoundedHttpListener l = new BoundedHttpListener(worker, name(address), new HttpOpenListener(buffers, undertowOptions),
                (accept, options) -> worker.createStreamConnectionServer(address, accept, options),
                chain, budget, idleClosed, saturations);
        l.server.resumeAccepts();
        return l;
    }

    /**
     * Opens a TLS listener and starts accepting: what Undertow's builder does for an HTTPS
     * listener (HTTP/1.1, and HTTP/2 offered by ALPN when {@code http2}), with the same step
     * between accept and Undertow.
     */
    static BoundedHttpListener openTls(XnioWorker worker, InetSocketAddress address, ByteBufferPool buffers,
                                       OptionMap undertowOptions, SSLContext context, boolean http2, HttpHandler chain,
                                       ConnectionBudget budget, Counter idleClosed, Counter saturations)
            throws IOException {
        HttpOpenListener http1 = new HttpOpenListener(buffers, undertowOptions);
        OpenListener front = http2 ? new AlpnOpenListener(buffers, undertowOptions, http1) : http1;
        UndertowXnioSsl ssl = new UndertowXnioSsl(worker.getXnio(), OptionMap.create(Options.USE_DIRECT_BUFFERS, true),
                context);
        BoundedHttpListener l = new BoundedHttpListener(worker, name(address), front,
                (accept, options) -> ssl.createSslConnectionServer(worker, address, accept, options),
                chain, budget, idleClosed, saturations);
        if (front instanceof AlpnOpenListener alpn) {
            Http2OpenListener h2 = new Http2OpenListener(buffers, undertowOptions);
            h2.setRootHandler(alpn.getRootHandler());
            DelegateOpenListener tracked = l.new Http2Chosen(h2);
            alpn.addProtocol(Http2OpenListener.HTTP2, tracked, 10).addProtocol(Http2OpenListener.HTTP2_14, tracked, 7);
        }
        l.server.resumeAccepts();
        return l;
    }

    private static String name(InetSocketAddress address) {
        return address.getHostString() + ":" + address.getPort();
    }

    /** How many connections it holds now. */
    synchronized int connections() {
        return count;
    }

    /** How many of its connections are idle now. */
    int idle() {
        return idle.size();
    }

    /** Whether it holds its bound now (for {@code corral.listen.saturated}). */
    synchronized boolean saturated() {
        return saturated;
    }

    @Override
    public void handleEvent(AcceptingChannel<? extends StreamConnection> channel) {
        for (;;) {
            StreamConnection c;
            try {
                c = channel.accept();
            } catch (IOException e) {
                LOG.log(System.Logger.Level.WARNING, "listener " + address + ": accept failed: " + e);
                return;
            }
            if (c == null) {
                return;
            }
            opened(c);
        }
    }

    private void opened(StreamConnection c) {
        ClientConnection connection = new ClientConnection(c, idle);
        StreamSourceConduit socket = c.getSourceChannel().getConduit();
        if (!(c instanceof SslConnection)) {
            socket = new LazySuspendConduit(socket);
        }
        c.getSourceChannel().setConduit(new RequestBytesConduit(socket, connection));
        if (counted(+1) >= budget.perListener() - Math.max(1, budget.perListener() / 16)) {
            idle.drain();
        }
        connections.put(c.getPeerAddress(), connection);
        connection.accepted(); // before Undertow's first read, which may find bytes already
        open.handleEvent(c);
        // Undertow has set its close listener on the connection: ours goes around it.
        ChannelListener<? super StreamConnection> undertows = c.getCloseListener();
        c.setCloseListener(closed -> {
            ended(connection);
            ChannelListeners.invokeChannelListener(closed, undertows);
        });
        if (!c.isOpen()) {
            ended(connection); // closed before ours was set: Undertow's has run already
        }
    }

    private void ended(ClientConnection connection) {
        if (connection.closed()) {
            connections.remove(connection.channel().getPeerAddress(), connection);
            counted(-1);
        }
    }

    /** Counts a connection in or out; stops or resumes accepts and says so on a change. */
    private synchronized int counted(int change) {
        count += change;
        if (count >= budget.perListener() && !saturated) {
            saturated = true;
            saturations.inc();
            LOG.log(System.Logger.Level.WARNING, "listener " + address + " holds " + count
                    + " connections, its limit: idle keep-alive connections are closed to make room, oldest first;"
                    + " with none idle, new connections wait in the kernel's backlog"
                    + " (client.max.connections, or the open-file limit)");
        } else if (count < Math.max(1, budget.perListener() / 2) && saturated) {
            saturated = false;
            LOG.log(System.Logger.Level.WARNING, "listener " + address + " accepts again (" + count + " connections)");
        }
        return count;
    }

    /**
     * A connection went idle: at the bound, XNIO may be holding a newcomer back, and cannot say so;
     * the oldest idle connection makes room for it.
     */
    private void idleJoined() {
        if (connections() >= budget.perListener()) {
            idle.drain();
        }
    }

    /** Stops accepting; the connections it holds finish on their own. */
    void stop() {
        IoUtils.safeClose(server);
    }

    /** ALPN chose HTTP/2 for a connection: tells it so, then hands it to Undertow's HTTP/2 listener. */
    private final class Http2Chosen implements DelegateOpenListener {
        private final Http2OpenListener next;

        Http2Chosen(Http2OpenListener next) {
            this.next = next;
        }

        @Override
        public void handleEvent(StreamConnection channel, PooledByteBuffer buffer) {
            chosen(channel);
            next.handleEvent(channel, buffer);
        }

        private void chosen(StreamConnection channel) {
            ClientConnection c = connections.get(channel.getPeerAddress());
            if (c != null) {
                c.http2();
            }
        }

        @Override
        public void handleEvent(StreamConnection channel) {
            chosen(channel);
            next.handleEvent(channel);
        }

        @Override
        public HttpHandler getRootHandler() {
            return next.getRootHandler();
        }

        @Override
        public void setRootHandler(HttpHandler rootHandler) {
            next.setRootHandler(rootHandler);
        }

        @Override
        public OptionMap getUndertowOptions() {
            return next.getUndertowOptions();
        }

        @Override
        public void setUndertowOptions(OptionMap undertowOptions) {
            next.setUndertowOptions(undertowOptions);
        }

        @Override
        public ByteBufferPool getBufferPool() {
            return next.getBufferPool();
        }

        @Override
        public ConnectorStatistics getConnectorStatistics() {
            return next.getConnectorStatistics();
        }
    }

    /** Gives each exchange's completion to its connection, which then waits for the next request. */
    private final class TrackExchanges implements HttpHandler {
        private final HttpHandler next;

        TrackExchanges(HttpHandler next) {
            this.next = next;
        }

        @Override
        public void handleRequest(HttpServerExchange exchange) throws Exception {
            ClientConnection c = connections.get(exchange.getConnection().getPeerAddress());
            if (c != null) {
                c.exchangeBegins(exchange);
                exchange.addExchangeCompleteListener(c);
            }
            next.handleRequest(exchange);
        }
    }
}
