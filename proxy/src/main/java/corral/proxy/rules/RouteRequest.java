package corral.proxy.rules;

import java.util.AbstractList;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What the rules need to know about one request, taken from the connection and the request
 * head as received. All strings are byte strings (one char per byte, ISO-8859-1).
 *
 * <p>From an Undertow exchange (2.4, default options): {@code rawUri} is
 * {@code getRequestURI()}, plus {@code "?" + getQueryString()} when that is not empty; both
 * are still encoded. With {@code ALLOW_UNESCAPED_CHARACTERS_IN_URL} on, Undertow decodes
 * {@code getRequestURI()} and the rules would see a different request than nginx did.
 *
 * @param listenPort the local port the request arrived on; picks the {@code server} blocks
 * @param localAddr  the local address of the connection ({@code 127.0.0.1}); nginx names it in
 *                   an absolute redirect when the request has no Host header
 * @param remoteAddr the client's address, for {@code $remote_addr} and
 *                   {@code $proxy_add_x_forwarded_for}
 * @param scheme     {@code http} or {@code https}
 * @param method     the request method as sent ({@code GET})
 * @param protocol   the protocol of the request line ({@code HTTP/1.1}); an HTTP/1.1 request
 *                   without Host is a 400, as in nginx
 * @param host       the Host header's value as sent, port included, or null when there is none
 * @param rawUri     the request target as received: path plus optional {@code ?query}, still
 *                   percent-encoded and not normalised (or the absolute form,
 *                   {@code http://host/path}, whose host then wins over the Host header)
 * @param headers    every request header in the order received (for {@code $http_NAME})
 */
public record RouteRequest(
        int listenPort,
        String localAddr,
        String remoteAddr,
        String scheme,
        String method,
        String protocol,
        String host,
        String rawUri,
        List<Header> headers) {

    /** One request header as received. */
    public record Header(String name, String value) {

        public Header {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(value, "value");
        }
    }

    /**
     * The headers of a request as the server holds them, copied into {@link Header}s only when a
     * rule reads them all ({@code $http_NAME}, {@code $cookie_NAME}, a log variable): most
     * requests only need the Host count and Content-Length, which {@link #count} and
     * {@link #first} answer from the server's own store (issue 12: every header was copied into
     * records on every request). Read while the request lasts; the server must not change them.
     */
    public abstract static class LazyHeaders extends AbstractList<Header> {
        private volatile List<Header> all;

        /** Every header in the order received. */
        protected abstract List<Header> load();

        /** How many {@code name} headers (any case) the server holds. */
        protected abstract int countIn(String name);

        /** The first value of the {@code name} header (any case) the server holds, or null. */
        protected abstract String firstIn(String name);

        @Override
        public Header get(int index) {
            return all().get(index);
        }

        @Override
        public int size() {
            return all().size();
        }

        private List<Header> all() {
            List<Header> loaded = all;
            if (loaded == null) {
                loaded = List.copyOf(load());
                all = loaded;
            }
            return loaded;
        }
    }

    public RouteRequest {
        Objects.requireNonNull(localAddr, "localAddr");
        Objects.requireNonNull(remoteAddr, "remoteAddr");
        Objects.requireNonNull(scheme, "scheme");
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(rawUri, "rawUri");
        headers = headers instanceof LazyHeaders ? headers : List.copyOf(headers);
    }

    /** How many headers named {@code name} (any case) came. */
    int count(String name) {
        if (headers instanceof LazyHeaders lazy) {
            return lazy.countIn(name);
        }
        int n = 0;
        for (int i = 0; i < headers.size(); i++) {
            if (headers.get(i).name().equalsIgnoreCase(name)) {
                n++;
            }
        }
        return n;
    }

    /** The value of the first header named {@code name} (any case), or null when none came. */
    String first(String name) {
        if (headers instanceof LazyHeaders lazy) {
            return lazy.firstIn(name);
        }
        for (int i = 0; i < headers.size(); i++) {
            if (headers.get(i).name().equalsIgnoreCase(name)) {
                return headers.get(i).value();
            }
        }
        return null;
    }

    /**
     * A plain HTTP/1.1 request from and to loopback, with only a Host header (when
     * {@code host} is not null): the common case in tests and examples.
     */
    public static RouteRequest of(int listenPort, String method, String host, String rawUri) {
        List<Header> headers = new ArrayList<>();
        if (host != null) {
            headers.add(new Header("Host", host));
        }
        return new RouteRequest(listenPort, "127.0.0.1", "127.0.0.1", "http", method,
                host == null ? "HTTP/1.0" : "HTTP/1.1", host, rawUri, headers);
    }

    /** This request with one more header at the end. */
    public RouteRequest withHeader(String name, String value) {
        List<Header> more = new ArrayList<>(headers);
        more.add(new Header(name, value));
        return new RouteRequest(listenPort, localAddr, remoteAddr, scheme, method, protocol, host,
                rawUri, more);
    }
}
