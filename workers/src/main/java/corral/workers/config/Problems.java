package corral.workers.config;

import com.fasterxml.jackson.core.JsonPointer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Collects the errors and warnings of one load, in the order they are found, and places each on
 * its line. Collecting rather than throwing is what lets one load report every mistake at once.
 */
final class Problems {

    private final Path file;
    private final ParsedFile source;
    private final List<ConfigProblem> errors = new ArrayList<>();
    private final List<ConfigProblem> warnings = new ArrayList<>();

    Problems(Path file, ParsedFile source) {
        this.file = file;
        this.source = source;
    }

    /** An attribute's value is wrong; {@code explanation} follows the value in the message. */
    void error(String app, Field field, String explanation) {
        errors.add(about(app, field, explanation));
    }

    void warning(String app, Field field, String explanation) {
        warnings.add(about(app, field, explanation));
    }

    /** Something about an app (or, with a null app, the file) as a whole, placed at {@code at}. */
    void error(String app, JsonPointer at, String explanation) {
        errors.add(problem(at, app, null, null, explanation));
    }

    void warning(String app, JsonPointer at, String explanation) {
        warnings.add(problem(at, app, null, null, explanation));
    }

    /** A problem with a named attribute that is not one field of the file (e.g. a missing one). */
    void error(String app, JsonPointer at, String field, String explanation) {
        errors.add(problem(at, app, field, null, explanation));
    }

    void warning(String app, JsonPointer at, String field, String explanation) {
        warnings.add(problem(at, app, field, null, explanation));
    }

    /** The line of the value at {@code at}, for messages that point at another place. */
    OptionalInt lineOf(JsonPointer at) {
        return source.line(at);
    }

    int errorCount() {
        return errors.size();
    }

    /** The errors in the order of the file (those about no line in particular first). */
    List<ConfigProblem> errors() {
        return inFileOrder(errors);
    }

    List<ConfigProblem> warnings() {
        return inFileOrder(warnings);
    }

    private static List<ConfigProblem> inFileOrder(List<ConfigProblem> problems) {
        return problems.stream()
                .sorted(Comparator.comparingInt(problem -> problem.line().orElse(0)))
                .toList();
    }

    private ConfigProblem about(String app, Field field, String explanation) {
        return problem(field.pointer(), app, field.label(), field.json(), explanation);
    }

    private ConfigProblem problem(JsonPointer at, String app, String field, String value, String explanation) {
        OptionalInt line = at == null ? OptionalInt.empty() : source.line(at);
        return new ConfigProblem(file, line, OptionalInt.empty(), Optional.ofNullable(app),
                Optional.ofNullable(field), Optional.ofNullable(value), explanation);
    }
}
