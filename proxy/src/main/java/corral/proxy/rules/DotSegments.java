package corral.proxy.rules;

/**
 * The path an instance may be sent, for listeners that forward a request target without the
 * rules (an app's public port) and for the strict front door of every listener: dot-segments
 * resolved as {@link UriNormalizer} resolves them for the rules (RFC 3986 §5.2.4, nginx's
 * {@code ngx_http_parse_complex_uri}), including their {@code %2e} and {@code %2f} spellings.
 * A path without a dot-segment is returned as received, byte for byte.
 */
public final class DotSegments {

    private DotSegments() {
    }

    /**
     * The origin-form {@code path} (no query) an instance may see: the same string when it has no
     * dot-segment, else the resolved path, re-encoded as nginx re-encodes a URI it sends; null when
     * nginx would answer 400 (it climbs above "/", or has a bad or {@code %00} escape).
     */
    public static String resolve(String path) {
        if (path.indexOf('%') < 0 && !path.contains("/.")) {
            return path; // nothing to decode, no segment can be "." or "..": the common case, kept cheap
        }
        UriNormalizer.Target target = UriNormalizer.parse(path);
        if (target == null) {
            return null;
        }
        return hasDotSegment(path) ? UriEscaper.escapePath(target.uri()) : path;
    }

    /** Whether a segment (between "/" or "%2f") is "." or ".." once "%2e" is read as ".". */
    static boolean hasDotSegment(String path) {
        int dots = 0;
        boolean onlyDots = true;
        int i = 0;
        while (i <= path.length()) {
            char c = i < path.length() ? path.charAt(i) : '/';
            int width = 1;
            if (c == '%' && i + 2 < path.length()) {
                int hi = UriEscaper.hex(path.charAt(i + 1));
                int lo = UriEscaper.hex(path.charAt(i + 2));
                if (hi >= 0 && lo >= 0 && (hi * 16 + lo == '.' || hi * 16 + lo == '/')) {
                    c = (char) (hi * 16 + lo);
                    width = 3;
                }
            }
            if (c == '/') {
                if (onlyDots && (dots == 1 || dots == 2)) {
                    return true;
                }
                dots = 0;
                onlyDots = true;
            } else if (c == '.') {
                dots++;
            } else {
                onlyDots = false;
            }
            i += width;
        }
        return false;
    }
}
