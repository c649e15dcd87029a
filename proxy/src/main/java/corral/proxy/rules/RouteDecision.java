package corral.proxy.rules;

import corral.proxy.balance.ServerGroup;
import corral.proxy.files.StaticFile;
import corral.proxy.gzip.GzipSettings;
import corral.proxy.limit.RequestLimits;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;

/**
 * What the vhost rules decided for one request; exactly what nginx would have done with it.
 * Strings are byte strings (one char per byte, ISO-8859-1), to be written as such.
 */
public sealed interface RouteDecision {

    /**
     * Forward the request to a pool.
     *
     * <p>The headers are those of the effective {@code proxy_set_header} directives, in order,
     * after variable expansion. An empty value means the header must not be sent at all (nor the
     * client's header of that name). Other client headers pass through unchanged. Like nginx,
     * which sends {@code Host: $proxy_host} and {@code Connection: close} unless
     * told otherwise, the forwarder owns every header the rules do not set.
     *
     * @param app     the app (pool) name, one of those the rules were loaded with
     * @param uri     the request target to send upstream: path and query, encoded as nginx sends
     *                it (the original bytes when nothing changed the URI)
     * @param headers   header changes, in directive order; duplicates are all sent
     * @param proxyHost the host of the {@code proxy_pass} URL as written (an upstream's name,
     *                  {@code 127.0.0.1:8197}, or the app's name): nginx's {@code $proxy_host},
     *                  the Host it sends unless a {@code proxy_set_header Host} says otherwise
     * @param settings  the location's {@code proxy_read_timeout} and {@code client_max_body_size}
     * @param response  what the rules change in the instance's answer ({@code proxy_redirect},
     *                  {@code add_header}, {@code expires})
     * @param limits    the limit_req and limit_conn the request meets, with its keys
     * @param group     an {@code upstream} over several apps' pools, whose round robin picks the
     *                  pool (then {@code app} is its first server's); null for one app
     * @param method    the method to send instead of the request's (GET, after an
     *                  {@code error_page} redirected a POST); null to send the request's
     */
    record Proxy(String app, String uri, List<HeaderSet> headers, String proxyHost,
                 ProxySettings settings, ResponseEdits response, RequestLimits limits,
                 ServerGroup group, String method) implements RouteDecision {

        public Proxy {
            Objects.requireNonNull(limits, "limits");
            Objects.requireNonNull(app, "app");
            Objects.requireNonNull(uri, "uri");
            Objects.requireNonNull(proxyHost, "proxyHost");
            Objects.requireNonNull(settings, "settings");
            Objects.requireNonNull(response, "response");
            headers = List.copyOf(headers);
        }

        /** A proxy of the request's own method. */
        public Proxy(String app, String uri, List<HeaderSet> headers, String proxyHost,
                     ProxySettings settings, ResponseEdits response, RequestLimits limits) {
            this(app, uri, headers, proxyHost, settings, response, limits, null, null);
        }

        /** A proxy whose answer the rules leave as it is, that meets no limit. */
        public Proxy(String app, String uri, List<HeaderSet> headers, String proxyHost,
                     ProxySettings settings) {
            this(app, uri, headers, proxyHost, settings, ResponseEdits.NONE, RequestLimits.NONE, null, null);
        }

        /** A proxy with no settings of its own. */
        public Proxy(String app, String uri, List<HeaderSet> headers, String proxyHost) {
            this(app, uri, headers, proxyHost, ProxySettings.NONE);
        }

        /** A proxy to {@code http://app} with no settings of its own. */
        public Proxy(String app, String uri, List<HeaderSet> headers) {
            this(app, uri, headers, app);
        }
    }

    /**
     * Answer with a redirect and nginx's small HTML body.
     *
     * @param status   301, 302, 303, 307 or 308
     * @param location the Location header, made absolute as nginx does when it starts with "/";
     *                 may be empty ({@code return 301;})
     * @param response {@code add_header} and {@code expires} of the level that answered
     */
    record Redirect(int status, String location, ResponseEdits response) implements RouteDecision {

        public Redirect {
            Objects.requireNonNull(location, "location");
            Objects.requireNonNull(response, "response");
        }

        public Redirect(int status, String location) {
            this(status, location, ResponseEdits.NONE);
        }
    }

    /**
     * Answer directly: {@code return code text}, or an error (400, 404, 405, 500, ...).
     *
     * @param status      the status code
     * @param body        the body (a byte string); empty when none
     * @param contentType the Content-Type header
     * @param response    {@code add_header} and {@code expires} of the level that answered
     */
    record Respond(int status, String body, String contentType, ResponseEdits response)
            implements RouteDecision {

        public Respond {
            Objects.requireNonNull(body, "body");
            Objects.requireNonNull(contentType, "contentType");
            Objects.requireNonNull(response, "response");
        }

        public Respond(int status, String body, String contentType) {
            this(status, body, contentType, ResponseEdits.NONE);
        }

        /** The body's bytes, as nginx would send them. */
        public byte[] bodyBytes() {
            return body.getBytes(StandardCharsets.ISO_8859_1);
        }
    }

    /**
     * Answer with a file, as nginx's static module found it (root, alias, index, try_files).
     *
     * @param file     the file and the head it gives (type, ETag, Last-Modified)
     * @param gzip     the gzip directives of the level that answered
     * @param response {@code add_header} and {@code expires} of that level
     */
    record File(StaticFile file, GzipSettings gzip, ResponseEdits response) implements RouteDecision {

        public File {
            Objects.requireNonNull(file, "file");
            Objects.requireNonNull(gzip, "gzip");
            Objects.requireNonNull(response, "response");
        }
    }

    /** Answer with nginx's {@code stub_status} page ({@code location ... { stub_status; }}). */
    record StubStatus() implements RouteDecision {
    }

    /** Close the connection without a response ({@code return 444}). */
    record Close() implements RouteDecision {
    }

    /**
     * One {@code proxy_set_header}: set {@code name} to {@code value}, or remove it when the
     * value is empty.
     */
    record HeaderSet(String name, String value) {

        public HeaderSet {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(value, "value");
        }

        public boolean removes() {
            return value.isEmpty();
        }
    }
}
