package corral.proxy.forward;

import io.undertow.client.ClientCallback;
import io.undertow.client.ClientConnection;
import io.undertow.client.ClientExchange;
import io.undertow.client.ClientRequest;
import io.undertow.client.ClientResponse;
import io.undertow.client.ContinueNotification;
import io.undertow.client.PushCallback;
import io.undertow.util.AttachmentKey;
import io.undertow.util.AttachmentList;
import java.io.IOException;
import java.util.List;
import org.xnio.IoUtils;
import org.xnio.channels.StreamSinkChannel;
import org.xnio.channels.StreamSourceChannel;

/**
 * One request/response on a {@link TrackedConnection}: it sees the response header (or the
 * failure to get one) before {@code ProxyHandler} does, records it on the attempt, drops the
 * instance's hop-by-hop response headers before they are copied to the client, and applies the
 * read timeout. {@code ProxyHandler}'s response listener is told the outcome exactly once.
 * Used on the connection's IO thread only.
 */
final class TrackedExchange implements ClientExchange {
    private final ClientExchange delegate;
    private final TrackedConnection connection;
    private final Forwarding forwarding;
    private ClientCallback<ClientExchange> listener;
    private boolean settled;
    private boolean timedOut;

    TrackedExchange(ClientExchange delegate, TrackedConnection connection, Forwarding forwarding) {
        this.delegate = delegate;
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
        delegate.setResponseListener(new ClientCallback<>() {
            @Override
            public void completed(ClientExchange result) {
                if (settled) {
                    return;
                }
                settled = true;
                ClientResponse response = result.getResponse();
                if (forwarding.retriesOn(response.getResponseCode())) {
                    // As nginx: the answer is dropped with its connection, the next instance asked.
                    forwarding.failed(FailureKind.RETRY_STATUS);
                    IoUtils.safeClose(connection.delegate());
                    responseListener.failed(new IOException("the instance answered " + response.getResponseCode()
                            + ", which proxy_next_upstream retries"));
                    return;
                }
                if (forwarding.intercepts(response.getResponseCode(), response.getResponseHeaders())) {
                    // proxy_intercept_errors: the answer is dropped with its connection for an error page
                    IoUtils.safeClose(connection.delegate());
                    responseListener.failed(new IOException("the instance answered " + response.getResponseCode()
                            + ", which an error_page intercepts"));
                    return;
                }
                ForwardedHeaders.response(response.getResponseHeaders(), response.getResponseCode());
                responseListener.completed(TrackedExchange.this);
            }

            @Override
            public void failed(IOException e) {
                if (settled) {
                    return;
                }
                settled = true;
                forwarding.failed(forwarding.classify(e));
                responseListener.failed(e);
            }
        });
    }

    /**
     * The read timeout expired. Before the response header, the attempt fails at once as a
     * timeout ({@code ProxyHandler} then retries or answers 504): waiting for the connection to
     * report its close would take as long as {@code HttpClientConnection.close()} drains it (up to
     * 10 s). During the body, the client already has a status line: both connections are cut.
     */
    void silence() {
        if (settled) {
            IoUtils.safeClose(connection.delegate(), forwarding.exchange().getConnection());
            return;
        }
        // Settled first: whatever the closing connection reports from now on is not passed on.
        settled = true;
        timedOut = true;
        forwarding.failed(FailureKind.TIMEOUT);
        IoUtils.safeClose(connection.delegate());
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
    public void setPushHandler(PushCallback pushCallback) {
        delegate.setPushHandler(pushCallback);
    }

    @Override
    public StreamSinkChannel getRequestChannel() {
        return delegate.getRequestChannel();
    }

    @Override
    public StreamSourceChannel getResponseChannel() {
        return delegate.getResponseChannel();
    }

    @Override
    public ClientRequest getRequest() {
        return delegate.getRequest();
    }

    @Override
    public ClientResponse getResponse() {
        return delegate.getResponse();
    }

    @Override
    public ClientResponse getContinueResponse() {
        return delegate.getContinueResponse();
    }

    @Override
    public ClientConnection getConnection() {
        return connection;
    }

    @Override
    public <T> T getAttachment(AttachmentKey<T> key) {
        return delegate.getAttachment(key);
    }

    @Override
    public <T> List<T> getAttachmentList(AttachmentKey<? extends List<T>> key) {
        return delegate.getAttachmentList(key);
    }

    @Override
    public <T> T putAttachment(AttachmentKey<T> key, T value) {
        return delegate.putAttachment(key, value);
    }

    @Override
    public <T> T removeAttachment(AttachmentKey<T> key) {
        return delegate.removeAttachment(key);
    }

    @Override
    public <T> void addToAttachmentList(AttachmentKey<AttachmentList<T>> key, T value) {
        delegate.addToAttachmentList(key, value);
    }
}
