package corral.proxy.rules;

/**
 * Percent-encoding as nginx applies it when it turns a decoded URI back into bytes to send:
 * which bytes it escapes for a path ({@link #escapePath}), for an argument
 * ({@link #escapeArgs}), and how it half-decodes a rewritten redirect
 * ({@link #unescapeRedirect}).
 */
final class UriEscaper {

    private static final String HEX = "0123456789ABCDEF";

    /**
     * Besides control bytes, DEL and bytes over 0x7F, a path escapes the bytes RFC 3986 does
     * not allow plus {@code #}, {@code %} and {@code ?}, which would change its meaning.
     */
    private static final boolean[] PATH = table(" \"#%<>?\\^`{|}");
    /** An argument escapes, in addition, the bytes that separate arguments. */
    private static final boolean[] ARGS = table(" \"#%<>?\\^`{|}&+;");

    private UriEscaper() {
    }

    static String escapePath(String s) {
        return escape(s, PATH);
    }

    static String escapeArgs(String s) {
        return escape(s, ARGS);
    }

    private static String escape(String s, boolean[] table) {
        StringBuilder out = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 256 && table[c]) {
                if (out == null) {
                    out = new StringBuilder(s.length() + 16).append(s, 0, i);
                }
                out.append('%').append(HEX.charAt((c >> 4) & 0xF)).append(HEX.charAt(c & 0xF));
            } else if (out != null) {
                out.append(c);
            }
        }
        return out == null ? s : out.toString();
    }

    /**
     * nginx's redirect clean-up: up to the first {@code ?} (decoded or not), {@code %XX} becomes
     * its byte when that is printable ASCII above {@code %}, other {@code %XX} stay as written,
     * a {@code %} before a non-hex char is dropped, and a {@code %X} before a non-hex char
     * disappears with that char. The rest after the {@code ?} is kept as is.
     */
    static String unescapeRedirect(String s) {
        StringBuilder out = new StringBuilder(s.length());
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c == '?') {
                return out.append(s, i, s.length()).toString();
            }
            if (c != '%') {
                out.append(c);
                i++;
                continue;
            }
            int hi = i + 1 < s.length() ? hex(s.charAt(i + 1)) : -2;
            if (hi == -2) {
                return out.toString();
            }
            if (hi < 0) {
                out.append(s.charAt(i + 1));
                i += 2;
                continue;
            }
            int lo = i + 2 < s.length() ? hex(s.charAt(i + 2)) : -2;
            if (lo == -2) {
                return out.toString();
            }
            if (lo < 0) {
                i += 3;
                continue;
            }
            char decoded = (char) (hi * 16 + lo);
            if (decoded == '?') {
                return out.append('?').append(s, i + 3, s.length()).toString();
            }
            if (decoded > '%' && decoded < 0x7f) {
                out.append(decoded);
            } else {
                out.append(s, i, i + 3);
            }
            i += 3;
        }
        return out.toString();
    }

    static int hex(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        char l = (char) (c | 0x20);
        return l >= 'a' && l <= 'f' ? l - 'a' + 10 : -1;
    }

    private static boolean[] table(String printable) {
        boolean[] t = new boolean[256];
        for (int c = 0; c < 256; c++) {
            t[c] = c <= 0x20 || c >= 0x7f;
        }
        for (char c : printable.toCharArray()) {
            t[c] = true;
        }
        return t;
    }
}
