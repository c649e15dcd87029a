package corral.proxy.files;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * nginx's {@code types} and {@code default_type} of one level: the Content-Type a file is sent
 * with, by the extension of the request's URI (not of the file: an {@code alias} to
 * {@code x.html} at {@code /x} is sent as the default type).
 *
 * @param byExtension lower-case extension to type; a later {@code types} line wins, as in nginx's hash
 * @param defaultType {@code default_type}
 */
public record ContentTypes(Map<String, String> byExtension, String defaultType) {

    /** nginx's own, when no level has {@code types} or {@code default_type} (ngx_http_core_module.c). */
    public static final ContentTypes NGINX = new ContentTypes(
            Map.of("html", "text/html", "gif", "image/gif", "jpg", "image/jpeg"), "text/plain");

    /**
     * The http level of Debian's nginx.conf, into which a vhost file of sites-enabled is read:
     * {@code include /etc/nginx/mime.types; default_type application/octet-stream;}
     * (a copy of nginx-common 1.22.1's mime.types).
     */
    public static final ContentTypes DEBIAN = new ContentTypes(debianTypes(), "application/octet-stream");

    public ContentTypes {
        byExtension = Map.copyOf(byExtension);
    }

    /** These types with another {@code default_type}. */
    public ContentTypes withDefault(String type) {
        return new ContentTypes(byExtension, type);
    }

    /** The Content-Type nginx gives a file answered for {@code uri} (ngx_http_set_exten, ngx_http_set_content_type). */
    public String typeOf(String uri) {
        String exten = extension(uri);
        String type = exten == null ? null : byExtension.get(exten.toLowerCase(Locale.ROOT));
        return type != null ? type : defaultType;
    }

    /**
     * The URI's extension as nginx finds it: after the last "." of the last segment, not a
     * leading one ("/.htaccess" has none), scanning down to index 2 only; null when none.
     */
    static String extension(String uri) {
        for (int i = uri.length() - 1; i > 1; i--) {
            char c = uri.charAt(i);
            if (c == '.' && uri.charAt(i - 1) != '/') {
                return uri.substring(i + 1);
            }
            if (c == '/') {
                return null;
            }
        }
        return null;
    }

    /** Reads the "type ext ext;" lines of a {@code types} block's text. */
    public static Map<String, String> parse(String text) {
        Map<String, String> out = new LinkedHashMap<>();
        String body = text.replaceAll("#[^\n]*", "");
        int open = body.indexOf('{');
        int close = body.lastIndexOf('}');
        if (open >= 0 && close > open) {
            body = body.substring(open + 1, close);
        }
        for (String line : body.split(";")) {
            String[] words = line.trim().split("\\s+");
            for (int i = 1; i < words.length; i++) {
                out.put(words[i].toLowerCase(Locale.ROOT), words[0]);
            }
        }
        return out;
    }

    private static Map<String, String> debianTypes() {
        try (InputStream in = ContentTypes.class.getResourceAsStream("mime.types")) {
            return parse(new String(in.readAllBytes(), StandardCharsets.ISO_8859_1));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
