package corral.proxy.listen;

import io.undertow.server.AbstractServerConnection;
import io.undertow.server.ExchangeCompletionListener;
import io.undertow.server.HttpServerExchange;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.xnio.IoUtils;
import org.xnio.StreamConnection;

/**
 * One client connection of a {@link BoundedHttpListener}, as nginx's {@code ngx_reusable_connection}
 * sees it: reusable (idle) from each completed response on a keep-alive connection to the next
 * request's first byte; busy otherwise (and, unlike nginx, from accept to its first response:
 * see {@link BoundedHttpListener}). Only a reusable connection may be closed to make room, and only on its own
 * IO thread after checking that it still is ({@link #closeIfStillIdle}): never one in the middle of
 * a request, with unread pipelined bytes, with a response not yet flushed, or upgraded (WebSocket).
 */
final class ClientConnection implements ExchangeCompletionListener {

    static final long BUSY = -1;

    private final StreamConnection channel;
    private final IdleConnections idle;
    private final AtomicBoolean closed = new AtomicBoolean();
    private long idleKey = BUSY; // guarded by this
    private boolean upgraded;    // guarded by this
    /** Read without the lock by the request path: only a change of state takes it. */
    private volatile boolean reusable;

    ClientConnection(StreamConnection channel, IdleConnections idle) {
        this.channel = channel;
        this.idle = idle;
    }

    StreamConnection channel() {
        return channel;
    }

    /** Bytes of a request were read: the connection is busy until its response completes. */
    void requestBytes() {
        if (reusable) {
            synchronized (this) {
                leaveIdle();
            }
        }
    }

    /** Waits for a request with nothing read: joins the idle set as its newest member. */
    synchronized void waiting() {
        if (!upgraded && !closed.get() && idleKey == BUSY) {
            idleKey = idle.enter(this);
            reusable = true;
        }
    }

    /**
     * A response completed: idle if the connection stays open for another request and has no
     * pipelined bytes already read (those are a request under way).
     */
    @Override
    public void exchangeEvent(HttpServerExchange exchange, NextListener next) {
        if (exchange.isUpgrade()) {
            synchronized (this) {
                upgraded = true;
                leaveIdle();
            }
        } else if (exchange.isPersistent() && !hasPipelinedBytes(exchange)) {
            waiting();
        }
        next.proceed();
    }

    private static boolean hasPipelinedBytes(HttpServerExchange exchange) {
        return !(exchange.getConnection() instanceof AbstractServerConnection c) || c.getExtraBytes() != null;
    }

    /**
     * Closes the connection if it has been idle since {@code key} and its last response is out;
     * on its own IO thread, so nothing of Undertow's runs on it meanwhile.
     *
     * @return whether it was closed
     */
    synchronized boolean closeIfStillIdle(long key) {
        if (idleKey != key || closed.get()) {
            return false;
        }
        try {
            if (!channel.getSinkChannel().flush()) {
                idleKey = idle.enter(this); // its response is still being written: not the oldest after all
                return false;
            }
        } catch (IOException e) {
            // a broken connection: closing it is right anyway
        }
        leaveIdle();
        IoUtils.safeClose(channel);
        return true;
    }

    /** The connection closed (by anyone): leaves the idle set; true the first time only. */
    boolean closed() {
        if (!closed.compareAndSet(false, true)) {
            return false;
        }
        synchronized (this) {
            leaveIdle();
        }
        return true;
    }

    /** Guarded by this. */
    private void leaveIdle() {
        if (idleKey != BUSY) {
            idle.leave(idleKey);
            idleKey = BUSY;
        }
        reusable = false;
    }
}
