package corral.proxy.forward;

import io.undertow.client.ClientCallback;
import io.undertow.client.ClientConnection;
import io.undertow.client.ClientExchange;
import io.undertow.client.ClientResponse;
import io.undertow.client.ContinueNotification;
import io.undertow.util.AttachmentKey;
import java.io.IOException;
import org.xnio.IoUtils;

/**
 * One request/response on a {@link TrackedConnection}: it sees the response header (or the
 * failure to get one) before {@code ProxyHandler} does and reports it to the attempt
 * ({@link Forwarding}), drops the instance's hop-by-hop response headers before they are copied
 * to the client, and applies the read timeout. {@code ProxyHandler}'s response listener is told
 * the outcome at most once: an answer dropped for a retry or an error page bypasses it
 * ({@link TrackedConnection#passOver()}), as its failure path logs an error. Used on the
 * connection's IO thread only.
 *
 * <p>It is itself the pooled exchange's response listener and the attempt's read-timeout action
 * ({@link #run()}), so an attempt allocates no callback objects besides it (issue 12).
 */
final class TrackedExchange extends DelegatingClientExchange implements ClientCallback<ClientExchange>, Runnable {
    private final TrackedConnection connection;
    private final Forwarding forwarding;
    private ClientCallback<ClientExchange> listener;
    private boolean settled;
    private boolean timedOut;
    // The first attachment put through this wrapper (ProxyHandler's only one: its server exchange)
    // is kept here: the pooled exchange's first attachment makes an IdentityHashMap of 64 slots,
    // ~300 bytes a request (issue 12). Any other key, and every key Undertow's client sets itself
    // (trailers), stays on the pooled exchange.
    private AttachmentKey<?> attachedKey;
    private Object attached;

    TrackedExchange(ClientExchange delegate, TrackedConnection connection, Forwarding forwarding) {
        super(delegate);
        this.connection = connection;
        this.forwarding = forwarding;
    }

    @Override
    public void setResponseListener(ClientCallback<ClientExchange> responseListener) {
        this.listener = responseListener;
        if (responseListener == null) {
            delegate.setResponseListener(null);
            return;
        }
        if (timedOut) {
            responseListener.failed(timeout());
            return;
        }
        delegate.setResponseListener(this);
    }

    /** The instance's response header arrived (the pooled exchange's response listener). */
    @Override
    public void completed(ClientExchange result) {
        if (!settle()) {
            return;
        }
        ClientResponse response = result.getResponse();
        if (forwarding.dropsAnswer(response.getResponseCode())) {
            // As nginx: the answer is dropped with its connection, the next instance asked.
            IoUtils.safeClose(connection.delegate());
            connection.passOver();
            return;
        }
        if (forwarding.intercepts(response.getResponseCode(), response.getResponseHeaders())) {
            // proxy_intercept_errors: the answer is dropped with its connection for an error page
            IoUtils.safeClose(connection.delegate());
            connection.passOver();
            return;
        }
        ForwardedHeaders.response(response.getResponseHeaders(), response.getResponseCode());
        listener.completed(this);
    }

    /** No whole response header: the connection failed first. */
    @Override
    public void failed(IOException e) {
        if (settle()) {
            forwarding.failed(e);
            listener.failed(e);
        }
    }

    /** Whether this is the first outcome of the exchange; the first is the only one passed on. */
    private boolean settle() {
        if (settled) {
            return false;
        }
        settled = true;
        return true;
    }

    /**
     * The read timeout expired (the attempt's {@link IdleWatchdog} runs this). Before the response
     * header, the attempt fails at once as a timeout ({@code ProxyHandler} then retries or answers
     * 504): waiting for the connection to report its close would take as long as
     * {@code HttpClientConnection.close()} drains it (up to 10 s). During the body, the client
     * already has a status line: both connections are cut. Either way the instance's connection
     * is closed at once ({@link TrackedConnection#abort()}), not drained.
     */
    @Override
    public void run() {
        // Settled first: whatever the closing connection reports from now on is not passed on.
        if (!settle()) {
            connection.abort();
            IoUtils.safeClose(forwarding.exchange().getConnection());
            return;
        }
        timedOut = true;
        forwarding.timedOut();
        connection.abort();
        if (listener != null) {
            listener.failed(timeout());
        }
    }

    private static IOException timeout() {
        return new IOException("no response within the read timeout");
    }

    @Override
    public void setContinueHandler(ContinueNotification continueHandler) {
        delegate.setContinueHandler(continueHandler == null ? null : exchange -> continueHandler.handleContinue(this));
    }

    @Override
    public ClientConnection getConnection() {
        return connection;
    }

    @Override
    public <T> T getAttachment(AttachmentKey<T> key) {
        return key == attachedKey ? key.cast(attached) : delegate.getAttachment(key);
    }

    @Override
    public <T> T putAttachment(AttachmentKey<T> key, T value) {
        if (attachedKey != null && attachedKey != key) {
            return delegate.putAttachment(key, value);
        }
        T previous = attachedKey == null ? null : key.cast(attached);
        attachedKey = key;
        attached = value;
        return previous;
    }

    @Override
    public <T> T removeAttachment(AttachmentKey<T> key) {
        if (key != attachedKey) {
            return delegate.removeAttachment(key);
        }
        T previous = key.cast(attached);
        attachedKey = null;
        attached = null;
        return previous;
    }
}
