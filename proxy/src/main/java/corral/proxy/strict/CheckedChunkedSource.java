package corral.proxy.strict;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import org.xnio.channels.StreamSinkChannel;
import org.xnio.conduits.AbstractStreamSourceConduit;
import org.xnio.conduits.ConduitReadableByteChannel;
import org.xnio.conduits.Conduits;
import org.xnio.conduits.StreamSourceConduit;

/**
 * The raw bytes of a chunked request body as they come off the socket, unchanged, each first
 * shown to a {@link ChunkedFraming}: a body whose framing breaks RFC 9112 §7.1 fails the read
 * that brings the offending byte, so the forward stops and the connection is closed instead of
 * the lenient reader making up a chunk boundary. It sits under Undertow's read-data conduit, not
 * over it: Undertow's chunk reader pushes bytes it read too far back into the connection and
 * reads them again from there, and the checker must see each byte once.
 */
final class CheckedChunkedSource extends AbstractStreamSourceConduit<StreamSourceConduit> {

    private final ChunkedFraming framing;

    /** @param framing the check, already fed the body bytes that arrived with the head */
    CheckedChunkedSource(StreamSourceConduit next, ChunkedFraming framing) {
        super(next);
        this.framing = framing;
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        int start = dst.position();
        int n = next.read(dst);
        if (n > 0) {
            check(dst.duplicate().limit(start + n).position(start));
        }
        return n;
    }

    @Override
    public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
        int[] starts = new int[length];
        for (int i = 0; i < length; i++) {
            starts[i] = dsts[offset + i].position();
        }
        long n = next.read(dsts, offset, length);
        for (int i = 0; i < length && n > 0; i++) {
            ByteBuffer b = dsts[offset + i];
            check(b.duplicate().limit(b.position()).position(starts[i]));
        }
        return n;
    }

    @Override
    public long transferTo(long position, long count, FileChannel target) throws IOException {
        return target.transferFrom(new ConduitReadableByteChannel(this), position, count);
    }

    @Override
    public long transferTo(long count, ByteBuffer throughBuffer, StreamSinkChannel target) throws IOException {
        return Conduits.transfer(this, count, throughBuffer, target);
    }

    private void check(ByteBuffer bytes) throws IOException {
        if (framing.feed(bytes) == ChunkedFraming.Verdict.INVALID) {
            throw new IOException("invalid chunked request body (RFC 9112 §7.1)");
        }
    }
}
