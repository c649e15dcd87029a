package corral.proxy.rules;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A regex of the rules, written for PCRE as nginx compiles it, run by java.util.regex with the
 * same meaning on byte strings: searched (not anchored), {@code .} matches every byte but
 * {@code \n} ({@link Pattern#UNIX_LINES}), case folding is ASCII only as in PCRE's C tables.
 *
 * <p>The PCRE spellings Java lacks are translated: named groups {@code (?<n>)}, {@code (?'n')}
 * and {@code (?P<n>)} (whose names may hold {@code _}, which Java refuses) become plain groups
 * remembered by number; {@code (?P=n)} and {@code \k<n>} become back references by number;
 * {@code [} and {@code &} inside a class are literal; POSIX classes {@code [:alpha:]} map to
 * {@code \p{Alpha}}; a {@code {} that does not start a quantifier is literal.
 */
final class NginxRegex {

    private final String source;
    private final Pattern pattern;
    /** Named groups (names lower-cased, as nginx names their variables) to group numbers. */
    private final Map<String, Integer> names;

    private NginxRegex(String source, Pattern pattern, Map<String, Integer> names) {
        this.source = source;
        this.pattern = pattern;
        this.names = names;
    }

    /**
     * Compiles a PCRE pattern.
     *
     * @throws PatternSyntaxException with the reason when the pattern is not valid
     */
    static NginxRegex compile(String pcre, boolean caseless) {
        Translation t = new Translation(pcre);
        String java = t.translate();
        int flags = Pattern.UNIX_LINES | (caseless ? Pattern.CASE_INSENSITIVE : 0);
        return new NginxRegex(pcre, Pattern.compile(java, flags), Map.copyOf(t.names));
    }

    String source() {
        return source;
    }

    Map<String, Integer> names() {
        return names;
    }

    /**
     * Searches {@code subject}; on a match returns the groups ({@code [0]} the whole match, a
     * group that took no part is ""), else null.
     */
    String[] exec(String subject) {
        Matcher m = pattern.matcher(subject);
        if (!m.find()) {
            return null;
        }
        String[] groups = new String[m.groupCount() + 1];
        for (int i = 0; i < groups.length; i++) {
            String g = m.group(i);
            groups[i] = g == null ? "" : g;
        }
        return groups;
    }

    @Override
    public String toString() {
        return source;
    }

    /** One pass over a PCRE pattern that writes the Java pattern. */
    private static final class Translation {

        private static final Map<String, String> POSIX = Map.ofEntries(
                Map.entry("alpha", "Alpha"), Map.entry("digit", "Digit"),
                Map.entry("alnum", "Alnum"), Map.entry("upper", "Upper"),
                Map.entry("lower", "Lower"), Map.entry("space", "Space"),
                Map.entry("punct", "Punct"), Map.entry("xdigit", "XDigit"),
                Map.entry("blank", "Blank"), Map.entry("cntrl", "Cntrl"),
                Map.entry("graph", "Graph"), Map.entry("print", "Print"),
                Map.entry("ascii", "ASCII"));

        private final String p;
        private final StringBuilder out = new StringBuilder();
        private final Map<String, Integer> names = new LinkedHashMap<>();
        private int i;
        private int groups;

        Translation(String p) {
            this.p = p;
        }

        String translate() {
            while (i < p.length()) {
                char c = p.charAt(i);
                switch (c) {
                    case '\\' -> escape();
                    case '[' -> charClass();
                    case '(' -> group();
                    case '{' -> brace();
                    default -> {
                        out.append(c);
                        i++;
                    }
                }
            }
            return out.toString();
        }

        private void escape() {
            if (i + 1 >= p.length()) {
                throw error("\\ at end of pattern");
            }
            char n = p.charAt(i + 1);
            if (n == 'Q') {
                int end = p.indexOf("\\E", i + 2);
                int stop = end < 0 ? p.length() : end + 2;
                out.append(p, i, stop);
                if (end < 0) {
                    out.append("\\E");
                }
                i = stop;
            } else if (n == 'k' && i + 2 < p.length() && "<{'".indexOf(p.charAt(i + 2)) >= 0) {
                char close = switch (p.charAt(i + 2)) {
                    case '<' -> '>';
                    case '{' -> '}';
                    default -> '\'';
                };
                int end = p.indexOf(close, i + 3);
                if (end < 0) {
                    throw error("unterminated \\k name");
                }
                backref(p.substring(i + 3, end));
                i = end + 1;
            } else {
                out.append(c2(i));
                i += 2;
            }
        }

        private String c2(int at) {
            return p.substring(at, at + 2);
        }

        private void backref(String name) {
            Integer n = names.get(name.toLowerCase());
            if (n == null) {
                throw error("reference to non-existent subpattern \"" + name + "\"");
            }
            out.append("(?:\\").append(n).append(')');
        }

        private void group() {
            if (!p.startsWith("(?", i)) {
                groups++;
                out.append('(');
                i++;
                return;
            }
            String name = groupName();
            if (name != null) {
                groups++;
                if (names.putIfAbsent(name.toLowerCase(), groups) != null) {
                    throw error("two named subpatterns have the same name \"" + name + "\"");
                }
                out.append('(');
            } else if (p.startsWith("(?P=", i)) {
                int end = p.indexOf(')', i);
                if (end < 0) {
                    throw error("unterminated (?P= reference");
                }
                backref(p.substring(i + 4, end));
                i = end + 1;
            } else if (p.startsWith("(?#", i)) {
                int end = p.indexOf(')', i);
                i = end < 0 ? p.length() : end + 1;
            } else if (p.startsWith("(?P>", i) || p.startsWith("(?R", i)
                    || p.startsWith("(?&", i)) {
                throw error("recursion is not supported by Corral");
            } else {
                out.append("(?");
                i += 2;
            }
        }

        /** For {@code (?<n>}, {@code (?'n'} or {@code (?P<n>}: the name, past the opener. */
        private String groupName() {
            int start;
            char close;
            if (p.startsWith("(?P<", i)) {
                start = i + 4;
                close = '>';
            } else if (p.startsWith("(?<", i) && i + 3 < p.length()
                    && p.charAt(i + 3) != '=' && p.charAt(i + 3) != '!') {
                start = i + 3;
                close = '>';
            } else if (p.startsWith("(?'", i)) {
                start = i + 3;
                close = '\'';
            } else {
                return null;
            }
            int end = p.indexOf(close, start);
            if (end < 0) {
                throw error("syntax error in subpattern name (missing terminator)");
            }
            String name = p.substring(start, end);
            if (!name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
                throw error("invalid subpattern name \"" + name + "\"");
            }
            i = end + 1;
            return name;
        }

        /** A PCRE class: {@code ]} first is literal, {@code [} and {@code &} are literal. */
        private void charClass() {
            int start = i;
            out.append('[');
            i++;
            if (i < p.length() && p.charAt(i) == '^') {
                out.append('^');
                i++;
            }
            boolean first = true;
            while (i < p.length()) {
                char c = p.charAt(i);
                if (c == ']' && !first) {
                    out.append(']');
                    i++;
                    return;
                }
                first = false;
                if (c == '\\' && i + 1 < p.length()) {
                    out.append(c2(i));
                    i += 2;
                } else if (c == '[' && p.startsWith("[:", i) && p.indexOf(":]", i + 2) > 0) {
                    posixClass();
                } else if (c == '[' || c == '&' || c == ']') {
                    out.append('\\').append(c);
                    i++;
                } else {
                    out.append(c);
                    i++;
                }
            }
            throw error("missing terminating ] for character class at offset " + start);
        }

        private void posixClass() {
            int end = p.indexOf(":]", i + 2);
            String name = p.substring(i + 2, end);
            boolean negated = name.startsWith("^");
            String bare = negated ? name.substring(1) : name;
            String java = POSIX.get(bare);
            if (bare.equals("word")) {
                out.append(negated ? "\\W" : "\\w");
            } else if (java == null) {
                throw error("unknown POSIX class name \"" + name + "\"");
            } else {
                out.append(negated ? "\\P{" : "\\p{").append(java).append('}');
            }
            i = end + 2;
        }

        /** {@code {n}}, {@code {n,}}, {@code {n,m}} quantify; any other {@code {} is literal. */
        private void brace() {
            int end = p.indexOf('}', i);
            if (end > 0 && p.substring(i + 1, end).matches("\\d+(,\\d*)?")) {
                out.append(p, i, end + 1);
                i = end + 1;
            } else {
                out.append("\\{");
                i++;
            }
        }

        private PatternSyntaxException error(String why) {
            return new PatternSyntaxException(why, p, i);
        }
    }
}
