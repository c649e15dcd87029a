package corral.proxy.strict;

import java.nio.ByteBuffer;

/**
 * Checks the framing of a chunked body byte by byte, as nginx's {@code ngx_http_parse_chunked}
 * does (RFC 9112 §7.1), without decoding it: Undertow's own chunk reader skips whatever stands
 * between a chunk's data and the next line end and ends a size at any non-hex byte, so
 * {@code 3\r\nabcdef\r\n} or a size line cut by a bare CR pass it where nginx answers 400. A
 * checker is fed the raw bytes before Undertow's reader decodes them; once the message has ended
 * it ignores what follows (the next request on the connection is the parser's business).
 *
 * <p>Accepted: {@code 1*HEXDIG} sizes that fit in 60 bits, extensions up to the line end,
 * CRLF or a lone LF as line end (RFC 9112 §2.2 lets a recipient take LF alone, and nginx does),
 * trailer field lines. Anything else makes the body invalid.
 */
final class ChunkedFraming {

    /** What the bytes seen so far are. */
    enum Verdict { INCOMPLETE, COMPLETE, INVALID }

    private enum State {
        SIZE_FIRST, SIZE, EXTENSION, SIZE_LF, DATA, DATA_CR, DATA_LF, TRAILER_FIRST, TRAILER, TRAILER_LF, LAST_LF, DONE
    }

    /** The largest size that may still take a hex digit without passing 60 bits. */
    private static final long MAX_BEFORE_SHIFT = (1L << 56) - 1;

    private State state = State.SIZE_FIRST;
    private long remaining;
    private boolean invalid;

    /** Feeds the bytes between {@code from}'s position and limit; does not move its position. */
    Verdict feed(ByteBuffer from) {
        for (int i = from.position(); i < from.limit() && !invalid && state != State.DONE; i++) {
            if (state == State.DATA) {
                long take = Math.min(remaining, from.limit() - i);
                remaining -= take;
                i += (int) take - 1;
                if (remaining == 0) {
                    state = State.DATA_CR;
                }
                continue;
            }
            invalid = !step(from.get(i));
        }
        return verdict();
    }

    Verdict verdict() {
        return invalid ? Verdict.INVALID : state == State.DONE ? Verdict.COMPLETE : Verdict.INCOMPLETE;
    }

    /** One byte outside chunk data; false when it breaks the framing. */
    private boolean step(byte b) {
        switch (state) {
            case SIZE_FIRST -> {
                return hexDigit(b) && to(State.SIZE);
            }
            case SIZE -> {
                if (hexDigit(b)) {
                    return true;
                }
                return b == ';' || b == ' ' || b == '\t' ? to(State.EXTENSION) : sizeLineEnd(b);
            }
            case EXTENSION -> {
                // RFC 9112 §7.1.1: an extension runs to the line end; a CTL in it is no field content.
                return b == '\r' || b == '\n' ? sizeLineEnd(b) : (b >= 0x20 || b == '\t') && b != 0x7f;
            }
            case SIZE_LF -> {
                return b == '\n' && sizeLineEnd(b);
            }
            case DATA_CR -> {
                return b == '\r' ? to(State.DATA_LF) : b == '\n' && to(State.SIZE_FIRST);
            }
            case DATA_LF -> {
                return b == '\n' && to(State.SIZE_FIRST);
            }
            case TRAILER_FIRST -> {
                if (b == '\r') {
                    return to(State.LAST_LF);
                }
                return b == '\n' ? to(State.DONE) : b > 0x20 && b != 0x7f && b != ':' && to(State.TRAILER);
            }
            case TRAILER -> {
                if (b == '\r') {
                    return to(State.TRAILER_LF);
                }
                return b == '\n' ? to(State.TRAILER_FIRST) : (b >= 0x20 || b == '\t') && b != 0x7f;
            }
            case TRAILER_LF -> {
                return b == '\n' && to(State.TRAILER_FIRST);
            }
            case LAST_LF -> {
                return b == '\n' && to(State.DONE);
            }
            default -> throw new IllegalStateException(state.name());
        }
    }

    private boolean hexDigit(byte b) {
        int d = b >= '0' && b <= '9' ? b - '0' : b >= 'a' && b <= 'f' ? b - 'a' + 10 : b >= 'A' && b <= 'F' ? b - 'A' + 10 : -1;
        // RFC 9112 §7.1: a size that overflows is no size (nginx: "client sent invalid chunked body").
        if (d < 0 || remaining > MAX_BEFORE_SHIFT) {
            return false;
        }
        remaining = remaining * 16 + d;
        return true;
    }

    /**
     * At the end of a size line: a CR waits for its LF; an LF (alone, or after that CR) starts
     * the chunk's data, or the trailer section after the last chunk.
     */
    private boolean sizeLineEnd(byte b) {
        if (b == '\r' && state != State.SIZE_LF) {
            return to(State.SIZE_LF);
        }
        if (b != '\n') {
            return false;
        }
        return to(remaining == 0 ? State.TRAILER_FIRST : State.DATA);
    }

    private boolean to(State next) {
        state = next;
        return true;
    }
}
