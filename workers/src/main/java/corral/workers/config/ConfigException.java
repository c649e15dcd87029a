package corral.workers.config;

import java.util.List;
import java.util.stream.Collectors;

/**
 * An ecosystem file that cannot be used, with every error found in it (never just the first)
 * and the warnings found alongside. The message is the errors, one line each, ready to print;
 * there is nothing in the stack trace a user needs.
 */
public final class ConfigException extends Exception {

    private final List<ConfigProblem> errors;
    private final List<ConfigProblem> warnings;

    public ConfigException(List<ConfigProblem> errors, List<ConfigProblem> warnings) {
        super(lines(errors));
        if (errors.isEmpty()) {
            throw new IllegalArgumentException("a ConfigException needs at least one error");
        }
        this.errors = List.copyOf(errors);
        this.warnings = List.copyOf(warnings);
    }

    /** Every error, in the order of the file. */
    public List<ConfigProblem> errors() {
        return errors;
    }

    /** The warnings found while looking for errors (they alone would not stop a load). */
    public List<ConfigProblem> warnings() {
        return warnings;
    }

    private static String lines(List<ConfigProblem> problems) {
        return problems.stream().map(ConfigProblem::message).collect(Collectors.joining("\n"));
    }
}
