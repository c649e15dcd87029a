package corral.proxy.forward;

import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A large request body made up on the fly (never held whole in memory), with the SHA-256 of what
 * it produced so far.
 */
final class GeneratedBody extends InputStream {
    private final long size;
    private final MessageDigest sha256;
    private long produced;

    GeneratedBody(long size) {
        this.size = size;
        try {
            this.sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public int read() {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) {
        if (produced == size) {
            return -1;
        }
        int n = (int) Math.min(len, size - produced);
        for (int i = 0; i < n; i++) {
            long at = produced + i;
            b[off + i] = (byte) (at * 31 + (at >>> 11));
        }
        sha256.update(b, off, n);
        produced += n;
        return n;
    }

    /** The digest of everything read, once the stream is exhausted. */
    String sha256Hex() {
        if (produced != size) {
            throw new IllegalStateException("only " + produced + " of " + size + " bytes were read");
        }
        return HexFormat.of().formatHex(sha256.digest());
    }
}
