package corral.workers.config;

import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Which apps of an ecosystem file to run: all of them, or the ones PM2's {@code --only a,b}
 * names. A name is matched as the file writes it (or PM2's default from the script), before
 * {@code append_env_to_name} adds {@code -<env>}, as PM2 matches it; unlike PM2, which starts
 * nothing for a name the file lacks, such a name is an error.
 *
 * @param names the names given, in order; empty means every app
 */
public record AppSelection(Set<String> names) {

    /** Every app of the file. */
    public static final AppSelection ALL = new AppSelection(Set.of());

    public AppSelection {
        names = java.util.Collections.unmodifiableSet(new LinkedHashSet<>(names));
    }

    /**
     * The value of {@code --only}: names separated by commas or blanks, as PM2 splits it.
     *
     * @throws IllegalArgumentException when it names no app
     */
    public static AppSelection parse(String only) {
        Set<String> names = new LinkedHashSet<>();
        for (String name : only.trim().split("[,\\s]+")) {
            if (!name.isEmpty()) {
                names.add(name);
            }
        }
        if (names.isEmpty()) {
            throw new IllegalArgumentException("--only '" + only + "' names no app: give app names separated by commas");
        }
        return new AppSelection(names);
    }

    /** Whether every app is selected. */
    public boolean all() {
        return names.isEmpty();
    }

    /** Whether the app the file names {@code name} (before {@code append_env_to_name}) is selected. */
    public boolean includes(String name) {
        return all() || names.contains(name);
    }

    /** Both selections' apps: every app when either is all. */
    public AppSelection and(AppSelection other) {
        if (all() || other.all()) {
            return ALL;
        }
        Set<String> both = new LinkedHashSet<>(names);
        both.addAll(other.names);
        return new AppSelection(both);
    }

    /** As {@code --only} takes it ({@code a,b}), or {@code all}. */
    @Override
    public String toString() {
        return all() ? "all" : String.join(",", names);
    }
}
