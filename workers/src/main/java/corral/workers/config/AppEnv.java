package corral.workers.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * An app's environment as PM2 builds it from the file: {@code env}, overlaid by
 * {@code env_<name>} when {@code --env <name>} is given, then {@code port} as {@code PORT}. Each
 * variable remembers the field that set it, so a bad {@code PORT} is reported where it was written.
 * (PM2 also starts from the shell's environment; what a worker inherits from the daemon is the
 * process launcher's business, not the file's.)
 */
final class AppEnv {

    /** One variable: its text, and the entry of the file that gave it. */
    record Variable(String text, Field source) {
    }

    private final Map<String, Variable> variables = new LinkedHashMap<>();
    private final String app;
    private final Problems problems;

    private AppEnv(String app, Problems problems) {
        this.app = app;
        this.problems = problems;
    }

    static AppEnv merge(String app, AppFields fields, Optional<String> envName, Problems problems) {
        var env = new AppEnv(app, problems);
        fields.get("env").ifPresent(env::addAll);
        // A bad overlay was reported by AppReader, which checks every overlay, selected or not.
        envName.flatMap(fields::overlay).filter(overlay -> overlay.value().isObject()).ifPresent(env::addAll);
        fields.get("port").ifPresent(env::addPort);
        return env;
    }

    Optional<Variable> get(String name) {
        return Optional.ofNullable(variables.get(name));
    }

    /** The variables as handed to each instance. */
    Map<String, String> texts() {
        var texts = new LinkedHashMap<String, String>();
        variables.forEach((name, variable) -> texts.put(name, variable.text()));
        return texts;
    }

    private void addAll(Field block) {
        if (!block.value().isObject()) {
            problems.error(app, block, "is not an object of NAME: value pairs");
            return;
        }
        block.value().properties().forEach(entry -> add(block, entry.getKey(), entry.getValue()));
    }

    private void add(Field block, String name, JsonNode value) {
        var entry = new Field(block.label() + "." + name, value, block.pointer().appendProperty(name));
        if (name.isEmpty() || name.indexOf('=') >= 0 || name.indexOf('\0') >= 0) {
            problems.error(app, entry, "cannot be set: an environment variable name must be non-empty, without '='");
            return;
        }
        variables.put(name, new Variable(Values.envText(value), entry));
    }

    /** PM2's shortcut: {@code port: 3000} sets {@code PORT}, over whatever env said. */
    private void addPort(Field port) {
        OptionalLong number = Values.wholeNumber(port.value(), why -> problems.error(app, port, why),
                "is not a port number (1..65535)");
        if (number.isEmpty()) {
            return;
        }
        String text = Long.toString(number.getAsLong());
        get("PORT").filter(previous -> !previous.text().equals(text)).ifPresent(previous ->
                problems.warning(app, port, "replaces " + previous.source().label() + " \""
                        + previous.text() + "\", as in PM2"));
        variables.put("PORT", new Variable(text, port));
    }
}
