package corral.workers.config;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * One thing wrong with an ecosystem file (an error) or worth knowing about it (a warning), with
 * what it takes to find and fix it: the file, the line (and, for syntax errors, the column), the
 * app, the attribute, the offending value and an explanation of what was expected or of what
 * Corral does instead. {@link #message()} puts it on one line, compiler style:
 * {@code conf/pm2.json:5: app 'h5': instances: "abc" is not a number, ...}.
 *
 * @param file        the ecosystem file, as it was given to the loader
 * @param line        1-based line of the app or attribute concerned, when known
 * @param column      1-based column, given for syntax errors only
 * @param app         the app's name (or {@code #n}, its position, when it has none)
 * @param field       the attribute as spelled in the file, e.g. {@code err_file} or {@code env.PORT}
 * @param value       the offending value as JSON text, e.g. {@code "abc"}
 * @param explanation what was expected instead, or what Corral does about it
 */
public record ConfigProblem(
        Path file,
        OptionalInt line,
        OptionalInt column,
        Optional<String> app,
        Optional<String> field,
        Optional<String> value,
        String explanation) {

    public ConfigProblem {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(line, "line");
        Objects.requireNonNull(column, "column");
        Objects.requireNonNull(app, "app");
        Objects.requireNonNull(field, "field");
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(explanation, "explanation");
    }

    /** The problem on one line: {@code file:line[:column]: app 'x': field: value explanation}. */
    public String message() {
        var text = new StringBuilder(file.toString());
        line.ifPresent(n -> text.append(':').append(n));
        column.ifPresent(n -> text.append(':').append(n));
        text.append(": ");
        app.ifPresent(name -> text.append("app '").append(name).append("': "));
        field.ifPresent(name -> text.append(name).append(": "));
        value.ifPresent(json -> text.append(json).append(' '));
        return text.append(explanation).toString();
    }

    @Override
    public String toString() {
        return message();
    }
}
