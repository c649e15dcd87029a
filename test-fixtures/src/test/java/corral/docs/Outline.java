package corral.docs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The headings of a Markdown document in order, with fenced code blocks skipped (a {@code #} line
 * in a shell example is no heading), and each heading's GitHub anchor.
 */
record Outline(String file, List<Heading> headings, List<String> slugs) {
    private static final Pattern HEADING = Pattern.compile("^(#{1,6})\\s+(.*?)\\s*#*\\s*$");
    private static final Pattern ANCHOR = Pattern.compile("\\s*<a id=\"([^\"]+)\"></a>\\s*$");
    private static final Pattern FENCE = Pattern.compile("^ {0,3}(```|~~~)");

    static Outline read(Path root, String relative) throws IOException {
        return parse(relative, Files.readString(root.resolve(relative)));
    }

    static Outline parse(String file, String markdown) {
        List<Heading> headings = new ArrayList<>();
        List<String> slugs = new ArrayList<>();
        Map<String, Integer> seen = new HashMap<>();
        String fence = null;
        String[] lines = markdown.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            Matcher fenceMark = FENCE.matcher(line);
            if (fenceMark.find()) {
                // A fence closes only with the same marker that opened it.
                fence = fence == null ? fenceMark.group(1) : fence.equals(fenceMark.group(1)) ? null : fence;
                continue;
            }
            Matcher heading = HEADING.matcher(line);
            if (fence != null || !heading.matches()) {
                continue;
            }
            String text = heading.group(2);
            String anchor = null;
            Matcher explicit = ANCHOR.matcher(text);
            if (explicit.find()) {
                anchor = explicit.group(1);
                text = text.substring(0, explicit.start());
            }
            headings.add(new Heading(heading.group(1).length(), text, i + 1, anchor));
            String slug = Heading.slug(text.replace("`", ""));
            int repeats = seen.merge(slug, 1, Integer::sum) - 1;
            slugs.add(repeats == 0 ? slug : slug + "-" + repeats);
        }
        return new Outline(file, List.copyOf(headings), List.copyOf(slugs));
    }

    /**
     * Why {@code translation} does not render this document section for section, or null when it
     * does: the same heading levels in the same order, and every explicit anchor of the
     * translation naming the English heading at its position. Headings are compared by level and
     * position, not text, since the translation's are in another language; the message names the
     * first English heading without a counterpart, which is the section to translate.
     */
    String mismatchIn(Outline translation) {
        List<Heading> theirs = translation.headings();
        for (int i = 0; i < Math.max(headings.size(), theirs.size()); i++) {
            Heading mine = i < headings.size() ? headings.get(i) : null;
            Heading their = i < theirs.size() ? theirs.get(i) : null;
            if (mine == null) {
                return translation.file() + " has a heading " + their.describe() + " that " + file
                    + " does not have (its headings end before it): remove it, or add the English section";
            }
            String wrongAnchor = their == null || their.anchor() == null || their.anchor().equals(slugs.get(i))
                ? null : their.anchor();
            if (their == null || their.level() != mine.level() || wrongAnchor != null) {
                return missing(translation, i, their, wrongAnchor);
            }
        }
        return null;
    }

    private String missing(Outline translation, int i, Heading their, String wrongAnchor) {
        Heading mine = headings.get(i);
        String where = i == 0 ? "at its start"
            : "after its counterpart of " + headings.get(i - 1).describe() + ", i.e. after "
                + translation.headings().get(i - 1).describe() + " of " + translation.file();
        String found = their == null ? "it has no more headings"
            : "it has " + their.describe() + " there"
                + (wrongAnchor == null ? "" : ", anchored as \"" + wrongAnchor + "\" instead of \"" + slugs.get(i) + "\""
                    + (slugs.contains(wrongAnchor) ? "" : " (no English heading has that anchor now: if the English heading was"
                        + " renamed, update the anchor)"));
        return translation.file() + " lacks a counterpart of " + file + " " + mine.describe()
            + ": translate that section (same heading level, " + "#".repeat(mine.level())
            + ") and put it " + where + "; " + found
            + ". (Headings are compared by level and position; a translated heading may end with <a id=\""
            + slugs.get(i) + "\"></a> to pin it to the English one.)";
    }
}
