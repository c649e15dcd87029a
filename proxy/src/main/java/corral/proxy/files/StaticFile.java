package corral.proxy.files;

import java.util.Objects;

/**
 * A file the static module answers with, as found when the rules ran: what nginx's
 * {@code ngx_http_static_handler} puts in the answer's head.
 *
 * @param path            the file, as a byte string ({@link FileLookup#path})
 * @param size            its size (Content-Length)
 * @param modified        its mtime in epoch seconds (Last-Modified)
 * @param contentType     by the URI's extension ({@link ContentTypes#typeOf})
 * @param etag            {@code etag on} (nginx's default)
 * @param ifModifiedSince {@code if_modified_since}: off, exact (nginx's default) or before
 */
public record StaticFile(String path, long size, long modified, String contentType, boolean etag,
                         IfModifiedSince ifModifiedSince) {

    /** nginx's {@code if_modified_since} values. */
    public enum IfModifiedSince { OFF, EXACT, BEFORE }

    public StaticFile {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(contentType, "contentType");
        Objects.requireNonNull(ifModifiedSince, "ifModifiedSince");
    }

    /** nginx's strong ETag: {@code "<mtime hex>-<size hex>"} (ngx_http_set_etag); null with {@code etag off}. */
    public String etagValue() {
        return etag ? "\"" + Long.toHexString(modified) + "-" + Long.toHexString(size) + "\"" : null;
    }
}
