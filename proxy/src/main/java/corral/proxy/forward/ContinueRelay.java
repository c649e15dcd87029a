package corral.proxy.forward;

import io.undertow.UndertowLogger;
import io.undertow.client.ClientConnection;
import io.undertow.client.ClientExchange;
import io.undertow.client.ContinueNotification;
import io.undertow.io.IoCallback;
import io.undertow.io.Sender;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.protocol.http.HttpContinue;
import java.io.IOException;
import org.xnio.ChannelListener;
import org.xnio.ChannelListeners;
import org.xnio.IoUtils;
import org.xnio.channels.StreamSinkChannel;

/**
 * An {@code Expect: 100-continue} request's attempt, as ProxyHandler handled it: the request
 * header is flushed to the instance before the body is read, and the instance's
 * {@code 100 Continue} is passed to the client, whose body then flows. Made only for such requests.
 */
final class ContinueRelay implements ContinueNotification, IoCallback, ChannelListener<StreamSinkChannel> {
    private final Attempt attempt;
    private final HttpServerExchange exchange;
    private final ClientConnection connection;

    ContinueRelay(Attempt attempt, HttpServerExchange exchange, ClientConnection connection) {
        this.attempt = attempt;
        this.exchange = exchange;
        this.connection = connection;
    }

    /**
     * Whether the body must not be sent now: the request header is still on its way (the body is
     * sent once it is flushed, {@link #handleEvent}, so the instance sees the header without
     * waiting for the body), or its flush failed and the exchange is answered.
     */
    boolean waitsForFlush(StreamSinkChannel requestSink) {
        try {
            if (!requestSink.flush()) {
                requestSink.getWriteSetter().set(ChannelListeners.flushingChannelListener(this, attempt));
                requestSink.resumeWrites();
                return true;
            }
        } catch (IOException e) {
            attempt.handleException(requestSink, e);
            return true; // the exchange is answered: no body goes
        }
        return false;
    }

    /** The request header is flushed: the body goes. */
    @Override
    public void handleEvent(StreamSinkChannel channel) {
        attempt.sendBody();
    }

    /** The instance's {@code 100 Continue}: the client gets one. */
    @Override
    public void handleContinue(ClientExchange exchange) {
        HttpContinue.sendContinueResponse(this.exchange, this);
    }

    @Override
    public void onComplete(HttpServerExchange exchange, Sender sender) {
        // nothing to do: the client sends its body now
    }

    @Override
    public void onException(HttpServerExchange exchange, Sender sender, IOException exception) {
        IoUtils.safeClose(connection);
        exchange.endExchange();
        UndertowLogger.REQUEST_IO_LOGGER.ioException(exception);
    }
}
