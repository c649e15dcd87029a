package corral.proxy.files;

import corral.proxy.files.ByteRanges.Range;
import io.undertow.io.IoCallback;
import io.undertow.io.Sender;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.HeaderMap;
import io.undertow.util.Headers;
import io.undertow.util.Methods;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import org.xnio.IoUtils;

/**
 * Sends a {@link StaticFile} on an Undertow exchange as nginx's static handler and its header
 * filters make the answer, in their order: the static handler's head (200, Content-Length,
 * Last-Modified, ETag, Content-Type), the not-modified filter (412, 304), then the range filter
 * (206, multipart/byteranges, 416, Accept-Ranges) unless gzip takes the answer (nginx's range
 * filter then sees no length). A file up to {@link #SMALL} bytes is read and sent from the IO
 * thread; a bigger whole one goes by Undertow's non-blocking transfer from its channel (as its
 * resource handler sends files: what the socket takes, then on when it is writable again);
 * bigger ranges are written from a worker thread.
 */
public final class FileResponse {

    /** Read at once on the IO thread up to this size. */
    static final int SMALL = 64 * 1024;

    /** nginx's multipart boundary comes from ngx_next_temp_number: a counter, zero-padded to 20 digits. */
    private static final AtomicLong BOUNDARY = new AtomicLong(System.nanoTime() % 1_000_000_000L);

    private FileResponse() {
    }

    /** The filters of nginx's chain that are not this package's, in the order nginx runs them. */
    public interface Filters {

        /** nginx's headers filter (expires, add_header) on the head as it is now (200 or 304). */
        void headers();

        /** Whether gzip would compress the answer whose head is set now (then no ranges). */
        boolean compresses();

        /**
         * Answers with nginx's error page for {@code status} (412, 416), the headers filter run
         * again on it; the head keeps what this left (a 416's Content-Range, what the 200 got).
         */
        void error(int status);
    }

    public static void send(HttpServerExchange exchange, StaticFile file, Filters filters) {
        HeaderMap out = exchange.getResponseHeaders();
        exchange.setStatusCode(200);
        out.put(Headers.CONTENT_TYPE, file.contentType());
        out.put(Headers.LAST_MODIFIED, HttpTime.format(file.modified()));
        String etag = file.etagValue();
        if (etag != null) {
            out.put(Headers.ETAG, etag);
        }
        HeaderMap in = exchange.getRequestHeaders();
        Integer precondition = NotModified.check(in, file, etag);
        if (precondition != null && precondition != 304) {
            clearFileHead(out);
            filters.error(precondition);
            return;
        }
        if (precondition != null) {
            exchange.setStatusCode(304);
            out.remove(Headers.CONTENT_TYPE);
            filters.headers();
            exchange.endExchange();
            return;
        }
        exchange.setResponseContentLength(file.size());
        filters.headers();
        List<Range> ranges = List.of();
        if (!filters.compresses()) {
            ByteRanges.Outcome outcome = ranges(in, file, etag);
            if (outcome.unsatisfiable()) {
                clearFileHead(out);
                out.put(Headers.CONTENT_RANGE, "bytes */" + file.size());
                filters.error(416);
                return;
            }
            if (outcome.whole()) {
                out.put(Headers.ACCEPT_RANGES, "bytes");
            }
            ranges = outcome.ranges();
        }
        boolean head = exchange.getRequestMethod().equals(Methods.HEAD);
        if (ranges.size() == 1) {
            Range r = ranges.get(0);
            exchange.setStatusCode(206);
            out.put(Headers.CONTENT_RANGE, "bytes " + r.start() + "-" + (r.end() - 1) + "/" + file.size());
            exchange.setResponseContentLength(r.end() - r.start());
            body(exchange, file, head ? List.of() : ranges, null);
        } else if (ranges.size() > 1) {
            multipart(exchange, file, ranges, head);
        } else {
            body(exchange, file, head ? List.of() : List.of(new Range(0, file.size())), null);
        }
    }

    /** What an error page must not carry of the file's head (nginx's special response clears them). */
    private static void clearFileHead(HeaderMap out) {
        out.remove(Headers.LAST_MODIFIED);
        out.remove(Headers.ETAG);
        out.remove(Headers.CONTENT_TYPE);
        out.remove(Headers.CONTENT_LENGTH);
    }

    /** The Range header as nginx's range filter reads it, If-Range included; WHOLE when it does not apply. */
    private static ByteRanges.Outcome ranges(HeaderMap in, StaticFile file, String etag) {
        String range = in.getFirst(Headers.RANGE);
        if (range == null || range.length() < 7 || !range.regionMatches(true, 0, "bytes=", 0, 6)) {
            return ByteRanges.Outcome.WHOLE;
        }
        String ifRange = in.getFirst(Headers.IF_RANGE);
        if (ifRange != null) {
            if (ifRange.length() >= 2 && ifRange.endsWith("\"")) {
                if (etag == null || !ifRange.equals(etag)) {
                    return ByteRanges.Outcome.WHOLE;
                }
            } else if (HttpTime.parse(ifRange) != file.modified()) {
                return ByteRanges.Outcome.WHOLE;
            }
        }
        return ByteRanges.parse(range, file.size());
    }

    /** nginx's multipart/byteranges: each part's head, the bytes, then the closing boundary. */
    private static void multipart(HttpServerExchange exchange, StaticFile file, List<Range> ranges, boolean head) {
        String boundary = String.format(Locale.ROOT, "%020d", BOUNDARY.incrementAndGet());
        String partHead = "\r\n--" + boundary + "\r\nContent-Type: " + file.contentType()
                + "\r\nContent-Range: bytes ";
        String closing = "\r\n--" + boundary + "--\r\n";
        long length = closing.length();
        String[] heads = new String[ranges.size()];
        for (int i = 0; i < ranges.size(); i++) {
            Range r = ranges.get(i);
            heads[i] = partHead + r.start() + "-" + (r.end() - 1) + "/" + file.size() + "\r\n\r\n";
            length += heads[i].length() + r.end() - r.start();
        }
        exchange.setStatusCode(206);
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "multipart/byteranges; boundary=" + boundary);
        exchange.setResponseContentLength(length);
        body(exchange, file, head ? List.of() : ranges, new Parts(heads, closing));
    }

    /** The text around a multipart answer's ranges. */
    private record Parts(String[] heads, String closing) {
    }

    private static void body(HttpServerExchange exchange, StaticFile file, List<Range> ranges, Parts parts) {
        long total = ranges.stream().mapToLong(r -> r.end() - r.start()).sum();
        if (ranges.isEmpty()) { // HEAD: the head only
            exchange.endExchange();
            return;
        }
        if (total <= SMALL && (parts == null || ranges.size() <= 16)) {
            try {
                ByteBuffer all = ByteBuffer.wrap(read(file, ranges, parts));
                exchange.getResponseSender().send(all);
            } catch (IOException e) {
                exchange.setStatusCode(500); // the file went between the rules and now
                exchange.endExchange();
            }
            return;
        }
        if (parts == null && ranges.size() == 1 && ranges.get(0).start() == 0 && ranges.get(0).end() == file.size()) {
            whole(exchange, file);
            return;
        }
        exchange.dispatch(() -> {
            exchange.startBlocking();
            try (FileChannel channel = FileChannel.open(FileLookup.path(file.path()), StandardOpenOption.READ);
                 OutputStream stream = exchange.getOutputStream()) {
                WritableByteChannel target = Channels.newChannel(stream);
                for (int i = 0; i < ranges.size(); i++) {
                    if (parts != null) {
                        stream.write(parts.heads()[i].getBytes(StandardCharsets.ISO_8859_1));
                    }
                    copy(channel, ranges.get(i), target);
                }
                if (parts != null) {
                    stream.write(parts.closing().getBytes(StandardCharsets.ISO_8859_1));
                }
            } catch (IOException e) {
                IoUtils.safeClose(exchange.getConnection()); // head sent: nginx closes as well
            } finally {
                exchange.endExchange();
            }
        });
    }

    /** A whole big file: Undertow's transfer from the file channel, resumed as the socket drains. */
    private static void whole(HttpServerExchange exchange, StaticFile file) {
        FileChannel channel;
        try {
            channel = FileChannel.open(FileLookup.path(file.path()), StandardOpenOption.READ);
        } catch (IOException e) {
            exchange.setStatusCode(500); // the file went between the rules and now
            exchange.endExchange();
            return;
        }
        exchange.getResponseSender().transferFrom(channel, new IoCallback() {
            @Override
            public void onComplete(HttpServerExchange ex, Sender sender) {
                IoUtils.safeClose(channel);
                IoCallback.END_EXCHANGE.onComplete(ex, sender);
            }

            @Override
            public void onException(HttpServerExchange ex, Sender sender, IOException e) {
                IoUtils.safeClose(channel);
                IoCallback.END_EXCHANGE.onException(ex, sender, e);
            }
        });
    }

    private static byte[] read(StaticFile file, List<Range> ranges, Parts parts) throws IOException {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        try (FileChannel channel = FileChannel.open(FileLookup.path(file.path()), StandardOpenOption.READ)) {
            WritableByteChannel target = Channels.newChannel(out);
            for (int i = 0; i < ranges.size(); i++) {
                if (parts != null) {
                    out.writeBytes(parts.heads()[i].getBytes(StandardCharsets.ISO_8859_1));
                }
                copy(channel, ranges.get(i), target);
            }
        }
        if (parts != null) {
            out.writeBytes(parts.closing().getBytes(StandardCharsets.ISO_8859_1));
        }
        return out.toByteArray();
    }

    private static void copy(FileChannel from, Range r, WritableByteChannel to) throws IOException {
        long at = r.start();
        while (at < r.end()) {
            long n = from.transferTo(at, r.end() - at, to);
            if (n <= 0) {
                throw new IOException("the file is shorter than when it was found");
            }
            at += n;
        }
    }
}
