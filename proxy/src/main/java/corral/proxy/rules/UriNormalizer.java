package corral.proxy.rules;

/**
 * Turns a request target as received into the URI that locations and rewrites match, as
 * nginx's request line parser and {@code ngx_http_parse_complex_uri} do with
 * {@code merge_slashes on}: {@code %XX}
 * decoded, {@code //} merged, {@code .} and {@code ..} segments resolved, the query string and
 * any {@code #fragment} cut off. A decoded {@code %}, {@code #} or {@code ?} is an ordinary byte;
 * a decoded {@code /} or {@code .} acts as one. A {@code ..} above the root, a bad or
 * {@code %00} escape, or a control byte makes the request invalid (400). An absolute-form
 * target ({@code http://host:port/path}) gives its host, which then wins over the Host header.
 */
final class UriNormalizer {

    /**
     * The parsed target.
     *
     * @param uri           the normalised, decoded path (a byte string)
     * @param args          the raw query string, without {@code ?} (empty when none)
     * @param quotedUri     the path held a {@code %} escape: nginx then re-encodes what it sends
     * @param plusInUri     the path held a {@code +}, raw or encoded
     * @param unparsed      the target from its path on, as received ({@code $request_uri})
     * @param host          the host of an absolute-form target, else null
     * @param validUnparsed {@code unparsed} can be sent upstream as it is (false for
     *                      {@code http://host?args}, which has no path)
     */
    record Target(String uri, String args, boolean quotedUri, boolean plusInUri, String unparsed,
                  String host, boolean validUnparsed) {

        /** The target of a request refused before nginx parsed one. */
        static final Target NONE = new Target("", "", false, false, "", null, false);
    }

    private enum State { USUAL, SLASH, DOT, DOT_DOT }

    private final String raw;
    private final String host;
    private final boolean emptyPath;
    private final StringBuilder out = new StringBuilder();
    private State state = State.USUAL;
    private boolean quoted;
    private boolean plus;

    private UriNormalizer(String raw, String host, boolean emptyPath) {
        this.raw = raw;
        this.host = host;
        this.emptyPath = emptyPath;
    }

    /** The parsed target, or null when nginx would answer 400. */
    static Target parse(String rawTarget) {
        if (rawTarget.isEmpty() || hasControlByte(rawTarget)) {
            return null;
        }
        if (rawTarget.charAt(0) == '/') {
            return normalize(rawTarget, null, false);
        }
        return absoluteForm(rawTarget);
    }

    /**
     * {@code scheme://host[:port][/path][?args]}: nginx takes any scheme, a host of letters,
     * digits, "." and "-" (or an IP literal in brackets), digits as port; no path means "/".
     */
    private static Target absoluteForm(String t) {
        int i = 0;
        while (i < t.length() && isSchemeChar(t.charAt(i), i == 0)) {
            i++;
        }
        if (i == 0 || !t.startsWith("://", i)) {
            return null;
        }
        int hostStart = i + 3;
        int hostEnd = hostEnd(t, hostStart);
        if (hostEnd < 0) {
            return null;
        }
        int rest = hostEnd;
        if (rest < t.length() && t.charAt(rest) == ':') {
            rest++;
            while (rest < t.length() && Character.isDigit(t.charAt(rest))) {
                rest++;
            }
        }
        String host = t.substring(hostStart, hostEnd);
        if (rest == t.length()) {
            return normalize("/", host, false);
        }
        char c = t.charAt(rest);
        if (c == '/') {
            return normalize(t.substring(rest), host, false);
        }
        return c == '?' ? normalize("/" + t.substring(rest), host, true) : null;
    }

    private static boolean isSchemeChar(char c, boolean first) {
        char l = (char) (c | 0x20);
        return (l >= 'a' && l <= 'z')
                || (!first && ((c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.'));
    }

    /** Where the host that starts at {@code i} ends; -1 when it is malformed. */
    private static int hostEnd(String t, int i) {
        if (i < t.length() && t.charAt(i) == '[') {
            int close = t.indexOf(']', i);
            if (close < 0) {
                return -1;
            }
            for (int k = i + 1; k < close; k++) {
                char c = t.charAt(k);
                boolean ok = Character.isLetterOrDigit(c) && c < 0x80 || ":-._~!$&'()*+,;=".indexOf(c) >= 0;
                if (!ok) {
                    return -1;
                }
            }
            return close + 1;
        }
        while (i < t.length()) {
            char c = t.charAt(i);
            char l = (char) (c | 0x20);
            if (!((l >= 'a' && l <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '-')) {
                break;
            }
            i++;
        }
        return i;
    }

    private static boolean hasControlByte(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c <= 0x20 || c == 0x7f || c > 0xff) {
                return true;
            }
        }
        return false;
    }

    /** The target of {@code raw} (a path, with "?args" or "#fragment" if any); null when nginx answers 400. */
    private static Target normalize(String raw, String host, boolean emptyPath) {
        int end = plainPathEnd(raw);
        if (end < 0) {
            return new UriNormalizer(raw, host, emptyPath).run();
        }
        // the usual path: nothing to decode, merge or resolve, so no normaliser and no copy byte by
        // byte (issue 12)
        String args = end == raw.length() || raw.charAt(end) == '#' ? "" : argsFrom(raw, end + 1);
        String unparsed = emptyPath ? raw.substring(1) : raw;
        return new Target(end == raw.length() ? raw : raw.substring(0, end), args, false,
                raw.lastIndexOf('+', end - 1) >= 0, unparsed, host, !emptyPath);
    }

    private Target run() {
        int i = 0;
        while (i < raw.length()) {
            char c = raw.charAt(i);
            if (c == '%') {
                int decoded = decodeAt(i);
                if (decoded <= 0) {
                    return null;
                }
                i += 3;
                if (decoded == '%' || decoded == '#' || decoded == '?') {
                    out.append((char) decoded);
                    state = State.USUAL;
                    continue;
                }
                quoted = true;
                c = (char) decoded;
            } else {
                i++;
                if (c == '?') {
                    return finish(argsFrom(raw, i));
                }
                if (c == '#') {
                    return finish("");
                }
            }
            if (!step(c)) {
                return null;
            }
        }
        return finish("");
    }

    /**
     * Where the path of {@code raw} ends ({@code ?}, {@code #} or the end) when the state machine
     * would copy it unchanged: no {@code %} escape, no {@code //}, no segment starting with
     * {@code .}; else -1.
     */
    private static int plainPathEnd(String raw) {
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '?' || c == '#') {
                return i;
            }
            if (c == '%' || (c == '/' && i + 1 < raw.length() && (raw.charAt(i + 1) == '/' || raw.charAt(i + 1) == '.'))) {
                return -1;
            }
        }
        return raw.length();
    }

    /** The byte {@code %XX} at {@code i} stands for; -1 when malformed, 0 for {@code %00}. */
    private int decodeAt(int i) {
        quoted = true;
        if (i + 2 >= raw.length()) {
            return -1;
        }
        int hi = UriEscaper.hex(raw.charAt(i + 1));
        int lo = UriEscaper.hex(raw.charAt(i + 2));
        return hi < 0 || lo < 0 ? -1 : hi * 16 + lo;
    }

    /** The query string: from {@code from} up to a {@code #}, if any. */
    private static String argsFrom(String raw, int from) {
        int hash = raw.indexOf('#', from);
        return raw.substring(from, hash < 0 ? raw.length() : hash);
    }

    /** Feeds one path byte (raw or decoded) to the segment state machine. */
    private boolean step(char c) {
        if (c == '+') {
            plus = true;
        }
        switch (state) {
            case USUAL -> {
                out.append(c);
                if (c == '/') {
                    state = State.SLASH;
                }
            }
            case SLASH -> {
                if (c == '.') {
                    state = State.DOT;
                    out.append(c);
                } else if (c != '/') {
                    state = State.USUAL;
                    out.append(c);
                }
            }
            case DOT -> {
                if (c == '/') {
                    out.setLength(out.length() - 1);
                    state = State.SLASH;
                } else {
                    state = c == '.' ? State.DOT_DOT : State.USUAL;
                    out.append(c);
                }
            }
            case DOT_DOT -> {
                if (c == '/') {
                    state = State.SLASH;
                    return dropLastSegment();
                }
                state = State.USUAL;
                out.append(c);
            }
        }
        return true;
    }

    /** At the end of the path (or before {@code ?} or {@code #}): resolve a final "." or "..". */
    private Target finish(String args) {
        if (state == State.DOT) {
            out.setLength(out.length() - 1);
        } else if (state == State.DOT_DOT && !dropLastSegment()) {
            return null;
        }
        String unparsed = emptyPath ? raw.substring(1) : raw;
        return new Target(out.toString(), args, quoted, plus, unparsed, host, !emptyPath);
    }

    /**
     * The output ends with "/seg/..": cut it back to "/". False when there is no segment to
     * drop ("/.."): the request escapes the root.
     */
    private boolean dropLastSegment() {
        int u = out.length() - 4;
        while (u >= 0 && out.charAt(u) != '/') {
            u--;
        }
        if (u < 0) {
            return false;
        }
        out.setLength(u + 1);
        return true;
    }
}
