/**
 * nginx's gzip filter on proxied answers: which answers are compressed (status, type, length,
 * Content-Encoding, the client's Accept-Encoding read as nginx reads it, {@code gzip_proxied}
 * on requests that carry Via, {@code gzip_disable}), and the headers nginx changes when it
 * compresses (no Content-Length, chunked, weak ETag, no Accept-Ranges, Vary).
 */
package corral.proxy.gzip;
