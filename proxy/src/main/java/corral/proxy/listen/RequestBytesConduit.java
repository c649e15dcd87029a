package corral.proxy.listen;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import org.xnio.channels.StreamSinkChannel;
import org.xnio.conduits.AbstractStreamSourceConduit;
import org.xnio.conduits.StreamSourceConduit;

/**
 * The bottom of a client connection's read side: tells its {@link ClientConnection} when bytes
 * of a request arrive, as nginx leaves the reusable queue on the first byte read. Below Undertow's
 * own conduits, so it sees every byte from the socket (or from TLS), whatever Undertow buffers.
 */
final class RequestBytesConduit extends AbstractStreamSourceConduit<StreamSourceConduit> {

    private final ClientConnection connection;

    RequestBytesConduit(StreamSourceConduit next, ClientConnection connection) {
        super(next);
        this.connection = connection;
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        return seen(next.read(dst));
    }

    @Override
    public long read(ByteBuffer[] dsts, int offs, int len) throws IOException {
        return seen(next.read(dsts, offs, len));
    }

    @Override
    public long transferTo(long position, long count, FileChannel target) throws IOException {
        return seen(next.transferTo(position, count, target));
    }

    @Override
    public long transferTo(long count, ByteBuffer throughBuffer, StreamSinkChannel target) throws IOException {
        long n = next.transferTo(count, throughBuffer, target);
        if (throughBuffer.hasRemaining()) {
            connection.requestBytes(); // read, not yet written on: read all the same
        }
        return seen(n);
    }

    private int seen(int n) {
        if (n > 0) {
            connection.requestBytes();
        }
        return n;
    }

    private long seen(long n) {
        if (n > 0) {
            connection.requestBytes();
        }
        return n;
    }
}
