package corral.proxy.forward;

import io.undertow.client.ClientConnection;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.HttpUpgradeListener;
import io.undertow.util.Transfer;
import java.io.IOException;
import java.nio.channels.Channel;
import org.xnio.ChannelExceptionHandler;
import org.xnio.ChannelListener;
import org.xnio.ChannelListeners;
import org.xnio.IoUtils;
import org.xnio.StreamConnection;
import org.xnio.channels.StreamSinkChannel;

/**
 * A protocol upgrade the instance accepted (101, e.g. WebSocket), as ProxyHandler relayed it:
 * once the client has the 101, both connections are taken out of HTTP and their bytes copied
 * both ways until either side closes; a failure either way closes both.
 */
final class UpgradeRelay implements HttpUpgradeListener, ChannelExceptionHandler<Channel> {
    private final ClientConnection upstream;
    private StreamConnection front;
    private StreamConnection back;

    UpgradeRelay(ClientConnection upstream) {
        this.upstream = upstream;
    }

    @Override
    public void handleUpgrade(StreamConnection client, HttpServerExchange exchange) {
        front = client;
        try {
            back = upstream.performUpgrade();
            Transfer.initiateTransfer(back.getSourceChannel(), front.getSinkChannel(), ChannelListeners.closingChannelListener(),
                    shutdownWhenDone(), this, this, upstream.getBufferPool());
            Transfer.initiateTransfer(front.getSourceChannel(), back.getSinkChannel(), ChannelListeners.closingChannelListener(),
                    shutdownWhenDone(), this, this, upstream.getBufferPool());
        } catch (IOException e) {
            IoUtils.safeClose(front, back);
        }
    }

    /** When one side's reads end: the other side's writes are shut, flushed, then closed. */
    private static ChannelListener<StreamSinkChannel> shutdownWhenDone() {
        return ChannelListeners.writeShutdownChannelListener(
                ChannelListeners.<StreamSinkChannel>flushingChannelListener(ChannelListeners.closingChannelListener(),
                        ChannelListeners.closingChannelExceptionHandler()),
                ChannelListeners.closingChannelExceptionHandler());
    }

    @Override
    public void handleException(Channel channel, IOException exception) {
        IoUtils.safeClose(channel);
        IoUtils.safeClose(front, back);
    }
}
