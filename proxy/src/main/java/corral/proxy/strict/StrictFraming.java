package corral.proxy.strict;

import corral.proxy.rules.DotSegments;
import io.undertow.Undertow;
import io.undertow.UndertowOptions;
import io.undertow.conduits.ChunkedStreamSourceConduit;
import io.undertow.conduits.ReadDataStreamSourceConduit;
import io.undertow.connector.PooledByteBuffer;
import io.undertow.server.AbstractServerConnection;
import io.undertow.server.Connectors;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.HeaderMap;
import io.undertow.util.HeaderValues;
import io.undertow.util.Headers;
import io.undertow.util.HttpString;
import io.undertow.util.Protocols;
import io.undertow.util.StatusCodes;
import org.xnio.Option;
import org.xnio.OptionMap;
import org.xnio.conduits.ConduitStreamSourceChannel;

/**
 * The first handler that reads a request, on every listener: refuses what Undertow's parser let
 * through but two HTTP readers could frame differently (a front end and an instance disagreeing
 * where a request ends is how requests are smuggled), each with the status nginx 1.22 gives and
 * the connection closed, before any body byte is read; and resolves dot-segments in the target,
 * so that what an instance sees is the path Corral matched. Every check names its RFC clause.
 *
 * <p>A refusal never reads the body: the response carries {@code Connection: close} and Undertow
 * closes the connection after writing it, so whatever the client sent after the head is never
 * parsed as another request.
 */
public final class StrictFraming implements HttpHandler {

    private final HttpHandler next;

    public StrictFraming(HttpHandler next) {
        this.next = next;
    }

    /**
     * Sets the parser options that belong to strictness on a listener's builder: no raw bytes
     * outside RFC 3986 in a target (RFC 9112 §3.2; Undertow's default, set here so nobody relaxes
     * it by accident), an encoded slash never decoded into a path separator (the raw target is what
     * is forwarded, and {@link DotSegments} reads {@code %2f} as "/" only to find a dot-segment).
     */
    public static Undertow.Builder configure(Undertow.Builder builder) {
        return serverOptions(builder, options());
    }

    /** The same options, for a listener built without {@link Undertow.Builder}. */
    public static OptionMap options() {
        return OptionMap.builder()
                .set(UndertowOptions.ALLOW_UNESCAPED_CHARACTERS_IN_URL, false)
                .set(UndertowOptions.ALLOW_ENCODED_SLASH, false)
                .getMap();
    }

    /** Sets each of {@code options} on {@code builder} as a server option. */
    public static Undertow.Builder serverOptions(Undertow.Builder builder, OptionMap options) {
        for (Option<?> option : options) {
            copy(builder, option, options);
        }
        return builder;
    }

    private static <T> void copy(Undertow.Builder builder, Option<T> option, OptionMap options) {
        builder.setServerOption(option, options.get(option));
    }

    @Override
    public void handleRequest(HttpServerExchange exchange) throws Exception {
        Refusal refusal = refusal(exchange);
        if (refusal != null) {
            refuse(exchange, refusal.status(), refusal.why());
            return;
        }
        if (!resolveDotSegments(exchange)) {
            // RFC 3986 §5.2.4 gives no meaning to a ".." above the root; nginx answers 400.
            refuse(exchange, StatusCodes.BAD_REQUEST, "the request target climbs above \"/\" or has a bad %-escape");
            return;
        }
        if (exchange.getRequestHeaders().contains(Headers.TRANSFER_ENCODING) && !checkChunks(exchange)) {
            refuse(exchange, StatusCodes.BAD_REQUEST, "invalid chunked body");
            return;
        }
        next.handleRequest(exchange);
    }

    /**
     * RFC 9112 §7.1, where Undertow's chunk reader is lenient (see {@link ChunkedFraming}): the
     * body bytes that came with the head are checked now, so a bad body sent in one piece (as
     * every smuggling payload is) is refused before anything is forwarded; the bytes still to
     * come are checked as they stream, and a bad one ends the forward and the connection.
     */
    private static boolean checkChunks(HttpServerExchange exchange) {
        if (!(exchange.getConnection() instanceof AbstractServerConnection connection)) {
            return true; // not HTTP/1: no chunked framing
        }
        ChunkedFraming framing = new ChunkedFraming();
        PooledByteBuffer received = connection.getExtraBytes();
        if (received != null && framing.feed(received.getBuffer()) == ChunkedFraming.Verdict.INVALID) {
            return false;
        }
        // Undertow's setup put its chunk reader over the connection's read-data conduit (which
        // serves the bytes read with the head, then the socket); this puts the check between that
        // conduit and the socket. The reader's end-of-body listener is Undertow's own, rebuilt.
        ConduitStreamSourceChannel source = connection.getChannel().getSourceChannel();
        source.setConduit(new ChunkedStreamSourceConduit(
                new ReadDataStreamSourceConduit(new CheckedChunkedSource(connection.getOriginalSourceConduit(), framing), connection),
                exchange, reader -> {
                    if (!reader.isFinished()) {
                        exchange.setPersistent(false);
                    }
                    Connectors.terminateRequest(exchange);
                }));
        return true;
    }

    /** Why a request's head is refused, and with which status. */
    private record Refusal(int status, String why) {
    }

    /** The refusal of a request's head, else null; in nginx's order of checks. */
    private static Refusal refusal(HttpServerExchange exchange) {
        HttpString protocol = exchange.getProtocol();
        if (protocol.equals(Protocols.HTTP_0_9)) {
            // RFC 9112 §2.3 has no 0.9 with a version token (a 0.9 request line has none): nginx 400.
            return new Refusal(400, "HTTP/0.9 does not send a version");
        }
        // HTTP/2 (TLS ports, by ALPN) frames by DATA frames and END_STREAM: Undertow's HTTP/2 reader
        // checks a Content-Length against them (RFC 9113 §8.1.1); Host may be :authority instead.
        boolean h2 = protocol.equals(Protocols.HTTP_2_0);
        if (!h2 && !protocol.equals(Protocols.HTTP_1_1) && !protocol.equals(Protocols.HTTP_1_0)) {
            // RFC 9112 §2.3, RFC 9110 §15.6.6: a major version other than 1 is not served (nginx: 505).
            return new Refusal(505, "the HTTP version is not supported");
        }
        HeaderMap headers = exchange.getRequestHeaders();
        HeaderValues host = headers.get(Headers.HOST);
        if (host == null ? protocol.equals(Protocols.HTTP_1_1) : host.size() > 1 && !h2) {
            // RFC 9112 §3.2: an HTTP/1.1 request without Host, or with more than one, MUST get a 400.
            return new Refusal(400, "an HTTP/1.1 request needs exactly one Host header");
        }
        HeaderValues length = headers.get(Headers.CONTENT_LENGTH);
        if (length != null && (length.size() > 1 || !isDigits(length.getFirst()))) {
            // RFC 9112 §6.3 item 5: an invalid Content-Length (a list, a sign, not digits, repeated
            // even with one value: nginx refuses duplicates) is unrecoverable framing: 400 and close.
            return new Refusal(400, "invalid or repeated Content-Length");
        }
        HeaderValues coding = headers.get(Headers.TRANSFER_ENCODING);
        if (coding == null) {
            return null;
        }
        if (h2) {
            // RFC 9113 §8.2.2: a connection-specific field makes an HTTP/2 request malformed.
            return new Refusal(400, "Transfer-Encoding in an HTTP/2 request");
        }
        if (!protocol.equals(Protocols.HTTP_1_1)) {
            // RFC 9112 §6.1: Transfer-Encoding in an HTTP/1.0 message means faulty framing.
            return new Refusal(400, "Transfer-Encoding in an HTTP/1.0 request");
        }
        if (coding.size() > 1) {
            // RFC 9112 §6.1 lets a list span lines, but two readers may take different lines (nginx: 400).
            return new Refusal(400, "repeated Transfer-Encoding");
        }
        if (!coding.getFirst().equalsIgnoreCase("chunked")) {
            // RFC 9112 §6.1: the final coding must be chunked and every coding one the server
            // implements; Corral implements chunked alone, so anything else is 501 (as nginx).
            return new Refusal(501, "a Transfer-Encoding other than \"chunked\"");
        }
        if (length != null) {
            // RFC 9112 §6.1 and §6.3 item 3: both at once is a smuggling attempt; nginx refuses it.
            return new Refusal(400, "both Content-Length and Transfer-Encoding");
        }
        return null;
    }

    /** RFC 9110 §8.6: {@code Content-Length = 1*DIGIT}, and small enough to be a length. */
    private static boolean isDigits(String value) {
        if (value.isEmpty() || value.length() > 18) {
            return false;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    /**
     * Replaces the target's path by its resolved form when it has a dot-segment (RFC 3986
     * §5.2.4), so the rules and the instance see one path; false when it climbs above the root.
     */
    private static boolean resolveDotSegments(HttpServerExchange exchange) {
        String uri = exchange.getRequestURI();
        int pathStart = 0;
        if (exchange.isHostIncludedInRequestURI()) {
            int authority = uri.indexOf("://");
            pathStart = authority < 0 ? uri.length() : uri.indexOf('/', authority + 3);
            if (pathStart < 0) {
                return true; // "http://host": no path, nothing to resolve
            }
        }
        String path = uri.substring(pathStart);
        if (!path.startsWith("/")) {
            return true; // "*" or a CONNECT authority: the routing refuses those
        }
        String resolved = DotSegments.resolve(path);
        if (resolved == null) {
            return false;
        }
        if (!resolved.equals(path)) {
            exchange.setRequestURI(uri.substring(0, pathStart) + resolved, exchange.isHostIncludedInRequestURI());
            exchange.setRequestPath(resolved);
            exchange.setRelativePath(resolved);
        }
        return true;
    }

    private static void refuse(HttpServerExchange exchange, int status, String why) {
        exchange.setPersistent(false);
        exchange.setStatusCode(status);
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/plain; charset=utf-8");
        if (!exchange.getProtocol().equals(Protocols.HTTP_2_0)) {
            exchange.getResponseHeaders().put(Headers.CONNECTION, "close"); // no such field in HTTP/2
        }
        exchange.getResponseSender().send(status + " " + StatusCodes.getReason(status) + ": " + why + "\n");
    }
}
