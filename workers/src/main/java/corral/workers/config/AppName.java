package corral.workers.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * An app's name: given, or PM2's default (the script's file name without its extension), with the
 * env name appended when {@code append_env_to_name} asks for it. The name is how the proxy
 * ({@code proxy_pass http://<name>}), the metrics and bin/control find the app, hence its alphabet.
 */
final class AppName {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]+");

    private AppName() {
    }

    static Optional<String> read(AppFields fields, String position, Optional<String> envName, Problems problems) {
        Optional<String> name = given(fields, position, problems).or(() -> fromScript(fields));
        if (name.isPresent() && envName.isPresent() && appendsEnv(fields)) {
            name = Optional.of(name.get() + "-" + envName.get());
        }
        if (name.isPresent() && !NAME.matcher(name.get()).matches()) {
            String rule = "is not usable: a name is made of letters, digits, '.', '_' and '-' "
                    + "(it appears in proxy_pass http://<name> and in metric names)";
            Optional<Field> field = fields.get("name");
            if (field.isPresent() && name.get().equals(field.get().value().textValue())) {
                problems.error(name.get(), field.get(), rule);
            } else {
                problems.error(name.get(), fields.at(), "name", "'" + name.get() + "' (PM2's default, "
                        + "from script or env name) " + rule);
            }
        }
        return name;
    }

    /**
     * The name as the file writes it, or PM2's default from the script, before {@code
     * append_env_to_name}: what PM2's {@code --only} matches. Nothing is reported here.
     */
    static Optional<String> asWritten(AppFields fields) {
        return fields.get("name").map(Field::value).filter(JsonNode::isTextual).map(JsonNode::textValue)
                .or(() -> fromScript(fields));
    }

    private static Optional<String> given(AppFields fields, String position, Problems problems) {
        return fields.get("name").flatMap(field -> Values.text(field.value(),
                why -> problems.error(position, field, why)));
    }

    private static Optional<String> fromScript(AppFields fields) {
        return fields.get("script").map(Field::value).filter(JsonNode::isTextual).map(JsonNode::textValue)
                .map(String::trim).filter(script -> !script.isEmpty())
                .flatMap(AppName::withoutExtension);
    }

    /** PM2's renderApplicationName: the base name, cut at its last dot unless that is the first character. */
    private static Optional<String> withoutExtension(String script) {
        if (script.matches(".*\\s.*")) {
            return Optional.of(script);
        }
        String path = script.replaceAll("/+$", "");
        String base = path.substring(path.lastIndexOf('/') + 1);
        int dot = base.lastIndexOf('.');
        return Optional.of(dot > 0 ? base.substring(0, dot) : base).filter(name -> !name.isEmpty());
    }

    private static boolean appendsEnv(AppFields fields) {
        return fields.get("append_env_to_name").map(field -> field.value().isBoolean() && field.value().booleanValue())
                .orElse(false);
    }
}
