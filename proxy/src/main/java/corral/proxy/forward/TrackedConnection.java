package corral.proxy.forward;

import io.undertow.client.ClientCallback;
import io.undertow.client.ClientConnection;
import io.undertow.client.ClientExchange;
import io.undertow.client.ClientRequest;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.handlers.proxy.ProxyCallback;
import io.undertow.server.handlers.proxy.ProxyConnection;
import io.undertow.util.StatusCodes;
import java.io.IOException;
import org.xnio.IoUtils;

/**
 * A pooled connection to an instance as {@code ProxyHandler} sees it for one attempt: it adds
 * what Undertow does not do: the request headers are fixed up ({@link ForwardedHeaders}) just
 * before sending, and the attempt ({@link Forwarding}) learns that it reached the instance, or
 * how sending failed. {@code ProxyHandler} sends one request per connection it is given, so this
 * is also the callback of that send (no callback object per attempt, issue 12).
 */
final class TrackedConnection extends DelegatingClientConnection implements ClientCallback<ClientExchange> {
    private final Forwarding forwarding;
    /** {@code ProxyHandler}'s callback of the attempt: its {@code failed} starts the next one. */
    private final ProxyCallback<ProxyConnection> attempts;
    private ClientCallback<ClientExchange> sent;

    TrackedConnection(ClientConnection delegate, Forwarding forwarding, ProxyCallback<ProxyConnection> attempts) {
        super(delegate);
        this.forwarding = forwarding;
        this.attempts = attempts;
    }

    @Override
    public void sendRequest(ClientRequest request, ClientCallback<ClientExchange> callback) {
        ForwardedHeaders.request(request, forwarding.exchange(), forwarding);
        sent = callback;
        delegate.sendRequest(request, this);
    }

    /** The request is on its way to the instance (the pooled connection's answer to the send). */
    @Override
    public void completed(ClientExchange result) {
        TrackedExchange exchange = new TrackedExchange(result, this, forwarding);
        forwarding.sending(delegate, exchange);
        sent.completed(exchange);
    }

    /** The request could not be sent. */
    @Override
    public void failed(IOException e) {
        forwarding.failed(e);
        sent.failed(e);
    }

    /**
     * Closes the pooled connection at once, as nginx closes an upstream connection it gives up on.
     * {@code HttpClientConnection.close()} does not: it shuts down its writes, then drains the
     * instance's reads for up to 10 s ({@code ConnectionUtils.cleanClose}), so a stalled instance
     * kept its socket 10 s past the read timeout. {@code performUpgrade()} is the one public way to
     * the socket ({@code StreamConnection}): closing it fires the connection's own close listener,
     * so the pool forgets it and a pending exchange fails as with any other close.
     */
    void abort() {
        try {
            IoUtils.safeClose(delegate.performUpgrade());
        } catch (IOException e) {
            IoUtils.safeClose(delegate); // already closing or closed: nothing left to cut
        }
    }

    /**
     * Passes over the instance's answer that the attempt dropped ({@code proxy_next_upstream}'s
     * status, or an error page's): what {@code ProxyHandler.handleFailure} does after a failed
     * attempt (the next attempt if {@link Forwarding#RETRY} allows one, else the 503 that
     * {@link ErrorResponses} turns into the error page), without its {@code ERROR UT005028 Proxy
     * request to ... failed} line. A dropped answer is no failure: nginx logs nothing for it.
     * The response has not started: the answer's header was just dropped.
     */
    void passOver() {
        HttpServerExchange exchange = forwarding.exchange();
        if (Forwarding.RETRY.resolve(exchange)) {
            attempts.failed(exchange);
        } else {
            exchange.setStatusCode(StatusCodes.SERVICE_UNAVAILABLE);
            exchange.endExchange();
        }
    }

    /** The pooled connection this one stands for. */
    ClientConnection delegate() {
        return delegate;
    }
}
