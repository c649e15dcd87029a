package corral.proxy.rules;

/**
 * The host name in a Host header, checked and cut as nginx's {@code ngx_http_validate_host}
 * does: the port (after the first {@code :}, or after {@code ]} of an IPv6 literal) and one
 * trailing dot dropped, ASCII lower-cased. Two dots in a row, a slash, a blank or a
 * control byte, or nothing left, make the header invalid (400).
 */
final class HostHeader {

    private HostHeader() {
    }

    /** The host name to match {@code server_name} against, or null when invalid. */
    static String validate(String value) {
        int end = value.length();
        int lastDot = -2;
        boolean inLiteral = false;
        boolean cut = false;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '.' -> {
                    if (lastDot == i - 1) {
                        return null;
                    }
                    lastDot = i;
                }
                case ':' -> {
                    if (!cut && !inLiteral) {
                        end = i;
                        cut = true;
                    }
                }
                case '[' -> inLiteral = inLiteral || i == 0;
                case ']' -> {
                    if (inLiteral && !cut) {
                        end = i + 1;
                        cut = true;
                        inLiteral = false;
                    }
                }
                default -> {
                    if (c == '/' || c <= 0x20 || c == 0x7f) {
                        return null;
                    }
                }
            }
        }
        if (lastDot == end - 1) {
            end--;
        }
        if (end <= 0) {
            return null;
        }
        return lowerAscii(value.substring(0, end));
    }

    static String lowerAscii(String s) {
        StringBuilder out = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 'A' && c <= 'Z') {
                if (out == null) {
                    out = new StringBuilder(s);
                }
                out.setCharAt(i, (char) (c | 0x20));
            }
        }
        return out == null ? s : out.toString();
    }
}
