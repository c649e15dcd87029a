package corral.proxy.accesslog;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A compiled {@code log_format}: literal text and variables, written as nginx 1.22's log module
 * writes them (ngx_http_log_compile_format): {@code $name} or {@code ${name}}, a name of letters,
 * digits and "_"; literal text as it is, variable values escaped by {@link #escape()}.
 *
 * @param name   the format's name ({@code combined} for nginx's predefined one)
 * @param escape how variable values are written
 * @param parts  the text, in order
 */
public record LogFormat(String name, LogEscape escape, List<Part> parts) {

    /** nginx's predefined format, the one {@code access_log PATH;} uses. */
    public static final LogFormat COMBINED = parse("combined", LogEscape.DEFAULT,
            "$remote_addr - $remote_user [$time_local] \"$request\" $status $body_bytes_sent"
                    + " \"$http_referer\" \"$http_user_agent\"");

    /** Literal text or one variable. */
    public sealed interface Part {
    }

    /** Text written as it is. */
    public record Literal(String text) implements Part {
    }

    /** A variable, by its lower-cased name (nginx's names are case-insensitive). */
    public record Variable(String name) implements Part {
    }

    public LogFormat {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(escape, "escape");
        parts = List.copyOf(parts);
    }

    /**
     * Compiles a format's text (its arguments already joined, as nginx joins them).
     *
     * @throws IllegalArgumentException with nginx's reason, for a "$" with no name or an
     *                                  unclosed "${"
     */
    public static LogFormat parse(String name, LogEscape escape, String text) {
        List<Part> parts = new ArrayList<>();
        StringBuilder literal = new StringBuilder();
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c != '$') {
                literal.append(c);
                i++;
                continue;
            }
            boolean braced = i + 1 < text.length() && text.charAt(i + 1) == '{';
            int start = i + (braced ? 2 : 1);
            int end = start;
            while (end < text.length() && isNameChar(text.charAt(end))) {
                end++;
            }
            if (braced && (end >= text.length() || text.charAt(end) != '}')) {
                throw new IllegalArgumentException("the closing bracket in \"" + text.substring(start)
                        + "\" variable is missing");
            }
            if (end == start) {
                throw new IllegalArgumentException("invalid parameter \"" + text.substring(i) + "\"");
            }
            if (!literal.isEmpty()) {
                parts.add(new Literal(literal.toString()));
                literal.setLength(0);
            }
            parts.add(new Variable(lower(text.substring(start, end))));
            i = braced ? end + 1 : end;
        }
        if (!literal.isEmpty()) {
            parts.add(new Literal(literal.toString()));
        }
        return new LogFormat(name, escape, parts);
    }

    /** The variables the format uses, in order. */
    public List<String> variables() {
        return parts.stream().filter(p -> p instanceof Variable).map(p -> ((Variable) p).name()).toList();
    }

    /**
     * The line for one request (without the line end).
     *
     * @param values the request's variables; null for one that is not found
     */
    public String render(LogValues values) {
        StringBuilder out = new StringBuilder(128);
        for (Part part : parts) {
            if (part instanceof Literal l) {
                out.append(l.text());
            } else {
                escape.write(out, values.value(((Variable) part).name()));
            }
        }
        return out.toString();
    }

    private static boolean isNameChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    }

    private static String lower(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            out.append(c >= 'A' && c <= 'Z' ? (char) (c + 32) : c);
        }
        return out.toString();
    }
}
