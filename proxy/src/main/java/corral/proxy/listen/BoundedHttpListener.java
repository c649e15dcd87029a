package corral.proxy.listen;

import com.codahale.metrics.Counter;
import io.undertow.connector.ByteBufferPool;
import io.undertow.server.AbstractServerConnection;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.protocol.http.HttpOpenListener;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.xnio.ChannelListener;
import org.xnio.ChannelListeners;
import org.xnio.IoUtils;
import org.xnio.OptionMap;
import org.xnio.Options;
import org.xnio.StreamConnection;
import org.xnio.XnioWorker;
import org.xnio.channels.AcceptingChannel;

/**
 * A plain HTTP listener that owns its accept step, so it sees each connection and bounds them as
 * nginx bounds a worker's: when it holds nearly its bound ({@code bound - max(1, bound / 16)},
 * nginx's {@code free_connection_n <= connection_n / 16}) each accept first closes a batch of the
 * oldest idle keep-alive connections ({@link IdleConnections}), so a newcomer finds room while any
 * connection is only waiting. At the bound XNIO holds accepts back (its water marks, both at the
 * bound: it accepts again as soon as one closes, no back-off) and newcomers wait in the kernel's
 * backlog; a connection that goes idle then is closed at once to let one in, since XNIO cannot say
 * whether one waits. One log line when it reaches its bound and one when it holds fewer than half
 * of it again (so a listener kept at its bound by a flood says it once, not at every close).
 *
 * <p>Undertow's {@code Undertow.Builder} gives no hook on accept; this is what it does for an
 * HTTP listener ({@link HttpOpenListener} behind an accept listener), with our step in between.
 * Suspending accepts ourselves ({@code suspendAccepts}) at the bound was tried and dropped: under a
 * flood it stalled other listeners' connections on the shared IO threads.
 *
 * <p>Unlike nginx, a connection that has sent nothing yet is not closed to make room: under a
 * flood of such connections that churn (accept, close the oldest) was measured to hold many more
 * descriptors than the bound (a closed socket's descriptor is freed only when its IO thread next
 * selects), enough to reach the open-file limit of {@code FdFloodIT}; such a connection waits for
 * {@code client.header.timeout.ms} instead.
 */
final class BoundedHttpListener implements ChannelListener<AcceptingChannel<StreamConnection>> {

    private static final System.Logger LOG = System.getLogger("corral.listen");

    private final ConnectionBudget budget;
    private final HttpOpenListener open;
    private final IdleConnections idle;
    private final Counter saturations;
    private final AcceptingChannel<StreamConnection> server;
    private final String address;
    /** Each open connection's state, for its exchanges to find. */
    private final Map<StreamConnection, ClientConnection> connections = new ConcurrentHashMap<>();
    private int count;          // guarded by this
    private boolean saturated;  // guarded by this

    private BoundedHttpListener(XnioWorker worker, InetSocketAddress address, ByteBufferPool buffers,
                                OptionMap undertowOptions, HttpHandler chain, ConnectionBudget budget,
                                Counter idleClosed, Counter saturations) throws IOException {
        this.budget = budget;
        this.saturations = saturations;
        this.idle = new IdleConnections(idleClosed, this::idleJoined);
        this.address = address.getHostString() + ":" + address.getPort();
        this.open = new HttpOpenListener(buffers, undertowOptions);
        open.setRootHandler(new TrackExchanges(chain));
        this.server = worker.createStreamConnectionServer(address, this, OptionMap.builder()
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

    /** Opens the listener and starts accepting. */
    static BoundedHttpListener open(XnioWorker worker, InetSocketAddress address, ByteBufferPool buffers,
                                    OptionMap undertowOptions, HttpHandler chain, ConnectionBudget budget,
                                    Counter idleClosed, Counter saturations) throws IOException {
        BoundedHttpListener l = new BoundedHttpListener(worker, address, buffers, undertowOptions, chain, budget,
                idleClosed, saturations);
        l.server.resumeAccepts();
        return l;
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
    public void handleEvent(AcceptingChannel<StreamConnection> channel) {
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
        c.getSourceChannel().setConduit(new RequestBytesConduit(c.getSourceChannel().getConduit(), connection));
        if (counted(+1) >= budget.perListener() - Math.max(1, budget.perListener() / 16)) {
            idle.drain();
        }
        connections.put(c, connection);
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
            connections.remove(connection.channel());
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

    /** Gives each exchange's completion to its connection, which then waits for the next request. */
    private final class TrackExchanges implements HttpHandler {
        private final HttpHandler next;

        TrackExchanges(HttpHandler next) {
            this.next = next;
        }

        @Override
        public void handleRequest(HttpServerExchange exchange) throws Exception {
            if (exchange.getConnection() instanceof AbstractServerConnection server) {
                ClientConnection c = connections.get(server.getChannel());
                if (c != null) {
                    exchange.addExchangeCompleteListener(c);
                }
            }
            next.handleRequest(exchange);
        }
    }
}
