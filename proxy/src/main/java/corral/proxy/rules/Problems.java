package corral.proxy.rules;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The problems found while loading, collected rather than thrown so that one load reports them
 * all; and the checks of a directive's shape that every compiler step needs.
 */
final class Problems {

    private final List<RuleProblem> found = new ArrayList<>();
    /** Directives accepted though Corral ignores them: said once at load, never silently. */
    private final List<RuleProblem> notices = new ArrayList<>();

    void add(Directive d, String message) {
        found.add(new RuleProblem(d.file(), d.line(), d.name(), message));
    }

    void add(Path file, int line, String directive, String message) {
        found.add(new RuleProblem(file, line, directive, message));
    }

    /**
     * Records that {@code d} is accepted but ignored, and why that changes no answer. Only for
     * directives whose effect Corral's own settings already give, or that have none here.
     */
    void notice(Directive d, String message) {
        notices.add(new RuleProblem(d.file(), d.line(), d.name(), message));
    }

    void notice(Path file, int line, String directive, String message) {
        notices.add(new RuleProblem(file, line, directive, message));
    }

    /** The notices, in the order of {@link #inFileOrder}. */
    List<RuleProblem> noticesInFileOrder(List<Path> files) {
        return sorted(notices, files);
    }

    boolean isEmpty() {
        return found.isEmpty();
    }

    /** The problems sorted by the order the files were read in, then by line. */
    List<RuleProblem> inFileOrder(List<Path> files) {
        return sorted(found, files);
    }

    private static List<RuleProblem> sorted(List<RuleProblem> problems, List<Path> files) {
        Comparator<RuleProblem> byFile = Comparator.comparingInt(p -> {
            int i = files.indexOf(p.file());
            return i < 0 ? Integer.MAX_VALUE : i;
        });
        return problems.stream().sorted(byFile.thenComparingInt(RuleProblem::line)).toList();
    }

    /** True when {@code d} has a block; else records why it needs one. */
    boolean expectBlock(Directive d) {
        if (d.block() == null) {
            add(d, "directive \"" + d.name() + "\" has no opening \"{\"");
            return false;
        }
        return true;
    }

    /** True when {@code d} ends with ";"; else records that it takes no block. */
    boolean expectNoBlock(Directive d) {
        if (d.block() != null) {
            add(d, "directive \"" + d.name() + "\" takes no block (is it missing its \";\"?)");
            return false;
        }
        return true;
    }

    /** True when {@code d} has {@code min} to {@code max} arguments; else records it. */
    boolean expectArgs(Directive d, int min, int max) {
        int n = d.args().size();
        if (n < min || n > max) {
            add(d, "invalid number of arguments in \"" + d.name() + "\" directive"
                    + missingSemicolonHint(d));
            return false;
        }
        return true;
    }

    /** " (missing ";" at the end of line N?)" when the arguments run over several lines. */
    static String missingSemicolonHint(Directive d) {
        return d.lastLine() > d.line()
                ? " (missing \";\" at the end of line " + d.line() + "?)"
                : "";
    }
}
