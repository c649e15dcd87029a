package corral.workers.config;

import java.util.Collection;
import java.util.Comparator;
import java.util.Locale;
import java.util.Optional;

/**
 * Finds the known name a typo most likely meant, so that an unknown key can be answered with
 * "did you mean ...". Names are compared without case and without underscores, so that
 * {@code MaxMemoryRestart} still finds {@code max_memory_restart}.
 */
final class Spelling {

    private Spelling() {
    }

    static Optional<String> closest(String typo, Collection<String> known) {
        String wanted = normalise(typo);
        int allowed = wanted.length() <= 4 ? 1 : wanted.length() < 10 ? 2 : 3;
        return known.stream()
                .filter(name -> distance(wanted, normalise(name)) <= allowed)
                .min(Comparator.comparingInt((String name) -> distance(wanted, normalise(name)))
                        .thenComparing(name -> name.contains("_") ? 0 : 1)
                        .thenComparing(Comparator.naturalOrder()));
    }

    private static String normalise(String name) {
        return name.toLowerCase(Locale.ROOT).replace("_", "").replace("-", "");
    }

    /** Levenshtein distance: the fewest one-letter edits that turn {@code a} into {@code b}. */
    static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
