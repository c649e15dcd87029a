/**
 * nginx's static, index and try_files modules on the file side: what a path is on disk (file,
 * directory, missing, forbidden, as nginx's open and stat calls tell them apart), the
 * Content-Type a URI's extension gives ({@code types}, {@code default_type}), and the answer for
 * a found file as nginx's filters make it: ETag and Last-Modified, If-Modified-Since and
 * If-None-Match (304), If-Match and If-Unmodified-Since (412), byte ranges (206, multipart, 416).
 * The rules ({@code corral.proxy.rules}) decide which file a request gets; this package knows
 * nothing of them.
 */
package corral.proxy.files;
