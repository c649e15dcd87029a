package corral.docs;

import java.util.Locale;

/**
 * One Markdown heading: its level (1 for {@code #}), its text, the line it is on (1-based), and
 * the explicit anchor it carries ({@code <a id="..."></a>} at its end), or null.
 */
record Heading(int level, String text, int line, String anchor) {

    /** The heading as it reads in the file, e.g. {@code "## Logs" (line 389)}. */
    String describe() {
        return "\"" + "#".repeat(level) + " " + text + "\" (line " + line + ")";
    }

    /**
     * GitHub's anchor for a heading text: lower case, inline-code backticks and punctuation
     * dropped, spaces turned into hyphens. Duplicates (GitHub appends -1, -2) are numbered by
     * {@link Outline}, which sees every heading.
     */
    static String slug(String text) {
        StringBuilder slug = new StringBuilder();
        text.toLowerCase(Locale.ROOT).codePoints().forEach(c -> {
            if (Character.isLetterOrDigit(c) || c == '-' || c == '_') {
                slug.appendCodePoint(c);
            } else if (c == ' ') {
                slug.append('-');
            }
        });
        return slug.toString();
    }
}
