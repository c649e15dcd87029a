package corral.proxy.forward;

import corral.proxy.balance.Upstream;
import io.undertow.UndertowLogger;
import io.undertow.client.ClientCallback;
import io.undertow.client.ClientConnection;
import io.undertow.client.ClientExchange;
import io.undertow.client.ClientResponse;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.handlers.proxy.ProxyCallback;
import io.undertow.server.handlers.proxy.ProxyClient;
import io.undertow.server.handlers.proxy.ProxyConnection;
import io.undertow.server.handlers.proxy.ProxyConnectionPool;
import io.undertow.server.protocol.http.HttpAttachments;
import io.undertow.server.protocol.http.HttpContinue;
import io.undertow.util.Attachable;
import io.undertow.util.Cookies;
import io.undertow.util.HeaderMap;
import io.undertow.util.HeaderValues;
import io.undertow.util.Headers;
import io.undertow.util.Methods;
import io.undertow.util.Protocols;
import io.undertow.util.StatusCodes;
import io.undertow.util.Transfer;
import java.io.IOException;
import java.nio.channels.Channel;
import java.util.concurrent.TimeUnit;
import org.xnio.ChannelExceptionHandler;
import org.xnio.ChannelListener;
import org.xnio.ChannelListeners;
import org.xnio.IoUtils;
import org.xnio.channels.StreamSinkChannel;
import org.xnio.channels.StreamSourceChannel;

/**
 * One try of an exchange on one instance: a keep-alive connection from the instance's pool, the
 * request ({@link ForwardedHeaders}) and its body, the response header judged at once (dropped
 * for {@code proxy_next_upstream} or an error page, or passed on), the response body streamed
 * back. What happened is reported to the exchange's {@link Forwarding}, which decides failure
 * kinds and retries; {@link Forwarder} makes the next attempt. Used on the exchange's IO thread.
 *
 * <p>One object stands for every callback of the attempt (the pool's, the send's, the response
 * listener, the end of each body, the transfers' error handler and the read timeout), so an
 * attempt costs one object besides Undertow's own (issue 12: ProxyHandler made about ten).
 * {@link ClientCallback#completed} is called twice: first when the request is on its way (the
 * send), then when the response header arrived (the response listener).
 */
final class Attempt implements ProxyCallback<ProxyConnection>, ClientCallback<ClientExchange>,
        ChannelListener<StreamSinkChannel>, ChannelExceptionHandler<Channel>, Runnable {
    /** The pool wants a target only to queue a request, and Corral's pools queue none. */
    private static final ProxyClient.ProxyTarget NO_QUEUE = new ProxyClient.ProxyTarget() {
    };
    /** After a body's end could not be flushed at once: stop listening once it is. */
    private static final ChannelListener<StreamSinkChannel> FLUSHED = ChannelListeners.flushingChannelListener(
            channel -> {
                channel.suspendWrites();
                channel.getWriteSetter().set(null);
            }, ChannelListeners.closingChannelExceptionHandler());

    private final Forwarder forwarder;
    private final Forwarding forwarding;
    private final HttpServerExchange exchange;
    private final Upstream upstream;
    private ClientConnection connection;
    private ClientExchange upstreamExchange;
    private StreamSinkChannel requestSink;
    /** The client's request body channel while it streams to the instance, else null. */
    private StreamSourceChannel requestSource;
    private StreamSinkChannel responseSink;
    /**
     * Whether a failure after the send may be retried: only when the request body had been read
     * whole before it (ProxyHandler's rule; a streamed body cannot be sent again).
     */
    private boolean resendable;
    /** The response header's outcome (passed on, dropped, failed, timed out) is decided. */
    private boolean settled;
    /**
     * The connection cannot serve another request (its request is unfinished, or Undertow's client
     * still waits for an upgrade or for a 204's or 304's declared body): it is closed once the
     * answer is relayed.
     */
    private boolean closeAfterAnswer;

    Attempt(Forwarder forwarder, Forwarding forwarding, Upstream upstream) {
        this.forwarder = forwarder;
        this.forwarding = forwarding;
        this.exchange = forwarding.exchange();
        this.upstream = upstream;
    }

    /** Asks the instance's keep-alive pool for a connection. */
    void connect() {
        ProxyConnectionPool pool = forwarder.connections.pool(upstream);
        if (pool == null) {
            // Its process went away between the choice and now: nothing was sent, try another.
            forwarding.connectFailed();
            forwarder.retry(forwarding);
            return;
        }
        // The pool hands the connection back when the exchange completes (its own listener).
        pool.connect(NO_QUEUE, exchange, this, -1, TimeUnit.MILLISECONDS, false);
    }

    /** A connection to the instance: the request goes out on it. */
    @Override
    public void completed(HttpServerExchange exchange, ProxyConnection result) {
        forwarder.table.markUp(upstream);
        connection = result.getConnection();
        resendable = exchange.isRequestComplete();
        connection.sendRequest(ForwardedHeaders.request(exchange, forwarding), this);
    }

    @Override
    public void failed(HttpServerExchange exchange) {
        forwarding.connectFailed();
        forwarder.table.markDown(upstream, forwarding.settings().failTimeout());
        forwarder.retry(forwarding);
    }

    /** Every connection to the instance is busy (the pool queues nothing). */
    @Override
    public void queuedRequestFailed(HttpServerExchange exchange) {
        forwarding.busy();
        forwarder.retry(forwarding);
    }

    @Override
    public void couldNotResolveBackend(HttpServerExchange exchange) {
        Forwarder.giveUp(exchange);
    }

    /** First call: the request is on its way. Second: the instance's response header arrived. */
    @Override
    public void completed(ClientExchange result) {
        if (upstreamExchange == null) {
            sent(result);
        } else {
            answered(result);
        }
    }

    private void sent(ClientExchange result) {
        upstreamExchange = result;
        forwarding.sending(connection, this);
        boolean expectsContinue = HttpContinue.requiresContinueResponse(exchange);
        ContinueRelay relay = expectsContinue ? new ContinueRelay(this, exchange, connection) : null;
        if (relay != null) {
            result.setContinueHandler(relay);
        }
        result.setResponseListener(this);
        // HttpClientExchange makes a new channel wrapper on each call: asked once.
        requestSink = result.getRequestChannel();
        if (relay != null && relay.waitsForFlush(requestSink)) {
            return;
        }
        sendBody();
    }

    /** Streams the request body to the instance, or ends the request when it has none (left). */
    void sendBody() {
        if (!exchange.isRequestComplete()) {
            requestSource = exchange.getRequestChannel();
            Transfer.initiateTransfer(requestSource, requestSink, ChannelListeners.closingChannelListener(),
                    this, this, this, exchange.getConnection().getByteBufferPool());
        } else {
            handleEvent(requestSink);
        }
    }

    private void answered(ClientExchange result) {
        if (!settle()) {
            return;
        }
        ClientResponse response = result.getResponse();
        int status = response.getResponseCode();
        HeaderMap headers = response.getResponseHeaders();
        // Only a request whose body was read whole before it was sent can go to the next
        // instance: a streamed body (Undertow does not buffer it, as nginx with
        // proxy_request_buffering off) is half spent, its channel taken; that answer passes.
        if ((resendable && forwarding.dropsAnswer(status)) || forwarding.intercepts(status, headers)) {
            // As nginx: the answer is dropped with its connection, for the next instance's
            // (proxy_next_upstream) or an error page's. No failure: nothing is logged. Closed at
            // once: the rest of a streaming body has nowhere to go (see handleException).
            abort();
            forwarder.retry(forwarding);
            return;
        }
        ForwardedHeaders.response(headers, status);
        exchange.setStatusCode(status);
        exchange.setReasonPhrase(response.getStatus());
        HeaderMap out = exchange.getResponseHeaders();
        for (long f = headers.fastIterateNonEmpty(); f != -1L; f = headers.fiNextNonEmpty(f)) {
            HeaderValues values = headers.fiCurrent(f);
            // a header the rules set already wins, as with ProxyHandler
            if (!out.contains(values.getHeaderName())) {
                out.putAll(values.getHeaderName(), values);
            }
        }
        if (!Cookies.isCrumbsAssemplyDisabled() && !Protocols.HTTP_2_0.equals(exchange.getProtocol())) {
            Cookies.assembleCrumbs(out);
        }
        if (exchange.isUpgrade()) {
            exchange.upgradeChannel(new UpgradeRelay(connection));
        }
        // An upgrade asked for and refused with an Upgrade header (a 426): Undertow's client keeps
        // the connection as upgraded, and its pool lets go of it without closing it (CLOSE_WAIT
        // once the instance closes, for the daemon's life).
        if (status != StatusCodes.SWITCHING_PROTOCOLS && connection.isUpgraded()) {
            closeAfterAnswer = true;
        }
        responseSink = exchange.getResponseChannel();
        if (endsAtItsHeader(status, headers)) {
            closeAfterAnswer = true; // Undertow's client still waits for the bytes on it
            handleEvent(responseSink); // the header alone, which ends the exchange
            return;
        }
        Transfer.initiateTransfer(result.getResponseChannel(), responseSink, ChannelListeners.closingChannelListener(),
                this, this, this, exchange.getConnection().getByteBufferPool());
    }

    /**
     * A 204 or 304 that declares a body length: it has no body (RFC 9110 6.4.1), but Undertow's
     * client reads that many bytes after it (only HEAD and a missing length make it expect none),
     * and the client got nothing until the read timeout cut both connections. nginx (1.22) reads
     * no body after a 204 or 304 whatever its headers say. Here the answer ends at its header too
     * (sent without a length: Undertow's server never sends one on a 204 or 304), and the
     * instance's connection is closed after it: Undertow's client would still wait for the bytes
     * on it, so it cannot serve another request.
     */
    private boolean endsAtItsHeader(int status, HeaderMap headers) {
        if (status != StatusCodes.NO_CONTENT && status != StatusCodes.NOT_MODIFIED
                || Methods.HEAD.equals(exchange.getRequestMethod())) {
            return false; // Undertow's client reads no body after a HEAD's answer
        }
        String length = headers.getFirst(Headers.CONTENT_LENGTH);
        // with no length, or 0, Undertow's client expects no body: the connection stays in the pool
        return length != null && !length.equals("0");
    }

    /** The send failed, or the connection failed before a whole response header. */
    @Override
    public void failed(IOException e) {
        if (settle()) {
            forwarding.failed(e);
            failedAfterSend(e);
        }
    }

    /**
     * The read timeout expired (the attempt's {@link IdleWatchdog} runs this). Before the response
     * header, the attempt fails at once as a timeout (retried, or 504): waiting for the connection
     * to report its close would take as long as {@code HttpClientConnection.close()} drains it (up
     * to 10 s). During the body, the client already has a status line: both connections are cut.
     * Either way the instance's connection is closed at once ({@link #abort()}), not drained.
     */
    @Override
    public void run() {
        // Settled first: whatever the closing connection reports from now on is not passed on.
        if (!settle()) {
            abort();
            IoUtils.safeClose(exchange.getConnection());
            return;
        }
        forwarding.timedOut();
        abort();
        failedAfterSend(new IOException("no response within the read timeout"));
    }

    private boolean settle() {
        if (settled) {
            return false;
        }
        settled = true;
        return true;
    }

    /**
     * What ProxyHandler did with a failure once the request was sent: one {@code UT005028} line
     * (as nginx logs one error), then the next attempt when the body can be sent again, else the
     * error answer (or the client's connection cut once it has a status line).
     */
    private void failedAfterSend(IOException e) {
        UndertowLogger.PROXY_REQUEST_LOGGER.proxyRequestFailed(exchange.getRequestURI(), e);
        if (resendable && !exchange.isResponseStarted()) {
            forwarder.retry(forwarding);
        } else {
            Forwarder.giveUp(exchange);
        }
    }

    /**
     * A body was sent whole (the request's to the instance, or the response's to the client):
     * its trailers go along, as ProxyHandler passed them, and the channel is shut and flushed,
     * which ends the request, or the exchange.
     */
    @Override
    public void handleEvent(StreamSinkChannel channel) {
        boolean toClient = channel == responseSink;
        if (toClient && closeAfterAnswer) {
            abort(); // the answer came whole; the connection cannot serve another request
        }
        Attachable from = toClient ? upstreamExchange : exchange;
        HeaderMap trailers = from.getAttachment(HttpAttachments.REQUEST_TRAILERS);
        if (trailers != null) {
            (toClient ? exchange : upstreamExchange).putAttachment(HttpAttachments.RESPONSE_TRAILERS, trailers);
        }
        try {
            channel.shutdownWrites();
            if (!channel.flush()) {
                channel.getWriteSetter().set(FLUSHED);
                channel.resumeWrites();
            } else {
                channel.getWriteSetter().set(null);
            }
        } catch (IOException e) {
            endFailed(toClient, e);
        } catch (RuntimeException e) {
            endFailed(toClient, new IOException(e));
        }
    }

    /**
     * A body's end could not be flushed. To the client: it has its status line; its connection is
     * cut (giveUp). To the instance (the connection broke under the request): settled here, so the
     * close the connection reports next is not a second failure (ProxyHandler's was: a second
     * UT005028 line and a second retry while the next attempt ran); the failure is recorded, so a
     * request that was sent is not sent again unless its method allows it; and the connection is
     * closed at once, never handed back to the pool half-written.
     */
    private void endFailed(boolean toClient, IOException e) {
        if (toClient) {
            failedAfterSend(e);
        } else if (settle()) {
            abort();
            forwarding.failed(e);
            failedAfterSend(e);
        } else {
            requestBrokenAfterAnswer();
        }
    }

    /**
     * The request could not be sent whole after its answer was decided: that answer stands. A
     * connection with an unfinished request must not go back to the pool (the next request on it
     * would wait behind this one): closed now, or once the answer it is relaying has come whole.
     */
    private void requestBrokenAfterAnswer() {
        if (responseSink == null) {
            abort();
        } else {
            closeAfterAnswer = true;
        }
    }

    /**
     * A body transfer failed (either way): the instance's connection is closed at once (not
     * drained, which kept its pool slot up to 10 s after a client went away). The request body's,
     * once the answer is decided (dropped, intercepted, or passing on), ends there: that answer
     * stands ({@link #requestBrokenAfterAnswer}). Otherwise the attempt settles, so the closed
     * connection's own report is not a second failure, and a client without a status line yet gets
     * a 500 that {@link ErrorResponses} turns into the attempt's failure; one with a status line
     * loses its connection.
     */
    @Override
    public void handleException(Channel channel, IOException exception) {
        boolean requestBody = channel == requestSource || channel == requestSink;
        if (requestBody && settled) {
            UndertowLogger.REQUEST_IO_LOGGER.debug("The rest of the request body was not sent", exception);
            requestBrokenAfterAnswer();
            return;
        }
        if (settle()) {
            forwarding.failed(exception); // the request body broke before any answer
        }
        IoUtils.safeClose(channel);
        abort();
        if (exchange.isResponseStarted()) {
            UndertowLogger.REQUEST_IO_LOGGER.debug("Exception reading from target server", exception);
            IoUtils.safeClose(exchange.getConnection());
        } else {
            UndertowLogger.REQUEST_IO_LOGGER.ioException(exception);
            exchange.setStatusCode(StatusCodes.INTERNAL_SERVER_ERROR);
            exchange.endExchange();
        }
    }

    /**
     * Closes the pooled connection at once, as nginx closes an upstream connection it gives up on.
     * {@code HttpClientConnection.close()} does not: it shuts down its writes, then drains the
     * instance's reads for up to 10 s ({@code ConnectionUtils.cleanClose}), so a stalled instance
     * kept its socket 10 s past the read timeout. {@code performUpgrade()} is the one public way to
     * the socket ({@code StreamConnection}): closing it fires the connection's own close listener,
     * so the pool forgets it and a pending exchange fails as with any other close.
     */
    private void abort() {
        try {
            IoUtils.safeClose(connection.performUpgrade());
        } catch (IOException e) {
            IoUtils.safeClose(connection); // already closing or closed: nothing left to cut
        }
    }
}
