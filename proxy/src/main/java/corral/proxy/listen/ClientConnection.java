package corral.proxy.listen;

import io.undertow.protocols.ssl.UndertowXnioSsl;
import io.undertow.server.AbstractServerConnection;
import io.undertow.server.ExchangeCompletionListener;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.protocol.http2.Http2ServerConnection;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.xnio.IoUtils;
import org.xnio.StreamConnection;
import org.xnio.ssl.SslConnection;

/**
 * One client connection of a {@link BoundedHttpListener}, as nginx's {@code ngx_reusable_connection}
 * sees it: reusable (idle) from accept to the first byte of its first request
 * ({@code ngx_http_wait_request_handler}; on TLS, but for its handshake: from the ClientHello to the
 * handshake's end it is busy, as in {@code ngx_http_ssl_handshake}), and from each completed
 * response on a keep-alive connection to the next request's first byte; busy otherwise. Only a
 * reusable connection may be closed to make room, and only on its own IO thread after checking
 * that it still is ({@link #closeIfStillIdle}): never one in the middle of a request or of a TLS
 * handshake, with unread pipelined bytes, with a response not yet flushed, or upgraded (WebSocket).
 *
 * <p>An HTTP/2 connection (TLS, by ALPN) is reusable while it has no open stream, as nginx's
 * {@code ngx_http_v2_handle_connection} makes it, from ALPN on: its bytes (a PING, a
 * WINDOW_UPDATE) are no request. It is closed as nginx finalizes it: a GOAWAY (NO_ERROR), then
 * the close, so that its client opens another for its next request.
 */
final class ClientConnection implements ExchangeCompletionListener {

    static final long BUSY = -1;

    private final StreamConnection channel;
    private final IdleConnections idle;
    private final IdleConnections.Place place = new IdleConnections.Place(this);
    private final AtomicBoolean closed = new AtomicBoolean();
    private long idleKey = BUSY; // guarded by this
    private boolean upgraded;    // guarded by this
    private int streams;         // guarded by this: HTTP/2 streams open
    private Runnable goAway;     // guarded by this: HTTP/2's close, once a stream showed its channel
    /** Read without the lock by the request path: only a change of state takes it. */
    private volatile boolean reusable;
    private volatile boolean http2;

    ClientConnection(StreamConnection channel, IdleConnections idle) {
        this.channel = channel;
        this.idle = idle;
    }

    StreamConnection channel() {
        return channel;
    }

    /** Bytes of a request were read: the connection is busy until its response completes. */
    void requestBytes() {
        if (reusable && !http2) {
            synchronized (this) {
                leaveIdle();
            }
        }
    }

    /** Just accepted, nothing read yet: idle, as the newest (the accept made room already). */
    synchronized void accepted() {
        if (!closed.get() && idleKey == BUSY) {
            idleKey = idle.enterQuietly(place);
            reusable = true;
        }
    }

    /** Waits for a request with nothing read: joins the idle set as its newest member. */
    synchronized void waiting() {
        if (!upgraded && !closed.get() && idleKey == BUSY && streams == 0) {
            idleKey = idle.enter(place);
            reusable = true;
        }
    }

    /** ALPN chose HTTP/2: from now on the connection is busy while a stream is open, and only then. */
    void http2() {
        http2 = true;
        waiting();
    }

    /** A request begins: on HTTP/2 a stream opened, and the connection is busy until every one ends. */
    synchronized void exchangeBegins(HttpServerExchange exchange) {
        if (exchange.getConnection() instanceof Http2ServerConnection h2) {
            streams++;
            leaveIdle();
            if (goAway == null) {
                goAway = Http2GoAway.of(h2);
            }
        }
    }

    /**
     * A response completed: idle if the connection stays open for another request and has no
     * pipelined bytes already read (those are a request under way); on HTTP/2, when it was the
     * last open stream.
     */
    @Override
    public void exchangeEvent(HttpServerExchange exchange, NextListener next) {
        if (exchange.getConnection() instanceof Http2ServerConnection) {
            synchronized (this) {
                streams--;
                waiting();
            }
        } else if (exchange.isUpgrade()) {
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
     * Closes the connection if it has been idle since {@code key}, its last response is out and no
     * TLS handshake is under way (nginx: not reusable from a handshake's first byte to its end);
     * on its own IO thread, so nothing of Undertow's runs on it meanwhile.
     *
     * @return whether it was closed
     */
    synchronized boolean closeIfStillIdle(long key) {
        if (idleKey != key || closed.get()) {
            return false;
        }
        try {
            if (handshaking() || !channel.getSinkChannel().flush()) {
                idleKey = idle.enterQuietly(place); // not the oldest idle one after all
                return false;
            }
        } catch (IOException e) {
            // a broken connection: closing it is right anyway
        }
        leaveIdle();
        if (goAway != null) {
            goAway.run(); // GOAWAY, flushed, then the close
        } else {
            IoUtils.safeClose(channel);
        }
        return true;
    }

    private boolean handshaking() {
        return channel instanceof SslConnection ssl && UndertowXnioSsl.getSslEngine(ssl).getHandshakeSession() != null;
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
            idle.leave(place);
            idleKey = BUSY;
        }
        reusable = false;
    }
}
