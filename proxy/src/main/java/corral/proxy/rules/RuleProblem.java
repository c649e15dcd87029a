package corral.proxy.rules;

import java.nio.file.Path;

/**
 * One thing wrong in the vhost rules, located well enough for a person to fix it.
 *
 * @param file      the file that holds the problem
 * @param line      1-based line of the directive (0 when the problem is the file itself)
 * @param directive the directive's name, or null when the problem is not about one directive
 * @param message   what is wrong and, where it helps, what was expected
 */
public record RuleProblem(Path file, int line, String directive, String message) {

    /** The problem as one line: {@code conf/vhost/h5.conf:12: message}. */
    @Override
    public String toString() {
        return line > 0 ? file + ":" + line + ": " + message : file + ": " + message;
    }
}
