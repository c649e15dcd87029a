package corral.proxy.listen;

import io.undertow.connector.PooledByteBuffer;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.protocol.http.HttpServerConnection;
import io.undertow.util.Headers;
import java.io.IOException;
import org.xnio.ChannelListener;
import org.xnio.IoUtils;
import org.xnio.conduits.ConduitStreamSourceChannel;

/**
 * nginx's {@code ngx_http_test_reading} while a request waits out a limit_req delay: reads the
 * idle HTTP/1 connection, so that a client that closes it is noticed at once (the connection is
 * closed, its close listeners release what the request held). Bytes that come instead (a
 * pipelined request) are given back to the connection and the watch ends. Only for requests
 * without a body, whose bytes would otherwise be read here, and while no pipelined request is
 * buffered already (Undertow would put bytes given back before it); HTTP/2 streams are not
 * watched.
 */
final class ClientCloseWatch {

    private static final Runnable NOTHING = () -> { };

    private ClientCloseWatch() {
    }

    /** Starts watching; the returned action stops it and gives the connection back to Undertow's reader. */
    static Runnable start(HttpServerExchange exchange) {
        if (!(exchange.getConnection() instanceof HttpServerConnection connection) || hasBody(exchange)
                || connection.getExtraBytes() != null) {
            return NOTHING;
        }
        ConduitStreamSourceChannel source = connection.getChannel().getSourceChannel();
        ChannelListener<? super ConduitStreamSourceChannel> undertows = source.getReadListener();
        source.setReadListener(channel -> readOnce(connection, channel));
        source.resumeReads();
        return () -> {
            source.suspendReads();
            source.setReadListener(undertows);
        };
    }

    private static void readOnce(HttpServerConnection connection, ConduitStreamSourceChannel channel) {
        PooledByteBuffer buffer = connection.getByteBufferPool().allocate();
        try {
            int n = channel.read(buffer.getBuffer());
            if (n > 0) {
                channel.suspendReads();
                buffer.getBuffer().flip();
                connection.ungetRequestBytes(buffer);
                buffer = null;
            } else if (n < 0) {
                channel.suspendReads();
                IoUtils.safeClose(connection);
            }
        } catch (IOException e) {
            IoUtils.safeClose(connection);
        } finally {
            if (buffer != null) {
                buffer.close();
            }
        }
    }

    private static boolean hasBody(HttpServerExchange exchange) {
        String length = exchange.getRequestHeaders().getFirst(Headers.CONTENT_LENGTH);
        return exchange.getRequestHeaders().contains(Headers.TRANSFER_ENCODING)
                || (length != null && !length.equals("0"));
    }
}
