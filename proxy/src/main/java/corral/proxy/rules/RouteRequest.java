package corral.proxy.rules;

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

    public RouteRequest {
        Objects.requireNonNull(localAddr, "localAddr");
        Objects.requireNonNull(remoteAddr, "remoteAddr");
        Objects.requireNonNull(scheme, "scheme");
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(rawUri, "rawUri");
        headers = List.copyOf(headers);
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
