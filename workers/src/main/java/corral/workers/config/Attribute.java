package corral.workers.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * One app attribute PM2 knows (or a Corral extension), with every spelling PM2 accepts for it.
 * An attribute Corral does not support carries the reason, and a test of the values that would
 * actually ask for the missing behaviour: {@code treekill: true} asks for what Corral does anyway,
 * {@code treekill: false} does not, and only the latter deserves a warning.
 *
 * @param name        the canonical name, as in PM2's {@code lib/API/schema.json}
 * @param aliases     the other spellings PM2 accepts, camelCase forms included
 * @param unsupported when a value asks for something Corral does not do
 * @param why         what Corral does instead (empty for honoured attributes)
 */
record Attribute(String name, List<String> aliases, Predicate<JsonNode> unsupported, String why) {

    Attribute {
        aliases = List.copyOf(aliases);
    }

    /** Read by the loader with PM2's meaning (or Corral's documented variant of it). */
    static Attribute honoured(String name, String... aliases) {
        return new Attribute(name, withCamelCase(name, aliases), value -> false, "");
    }

    /** Not supported; a warning is due when {@code asksForIt} holds for the value given. */
    static Attribute unsupported(String name, Predicate<JsonNode> asksForIt, String why, String... aliases) {
        return new Attribute(name, withCamelCase(name, aliases), asksForIt, why);
    }

    /** Every spelling: the name first, then the aliases. */
    List<String> spellings() {
        var all = new ArrayList<String>(aliases.size() + 1);
        all.add(name);
        all.addAll(aliases);
        return all;
    }

    /**
     * PM2 (lib/tools/Config.js) accepts each schema key in camelCase too: parts after the first
     * are capitalised when longer than one letter, so {@code ignore_watch} is also
     * {@code ignoreWatch}, as the seed's pm2.json spells it.
     */
    static String camelCase(String name) {
        String[] parts = name.split("_");
        var camel = new StringBuilder(parts[0]);
        for (int i = 1; i < parts.length; i++) {
            String part = parts[i];
            camel.append(part.length() > 1 ? Character.toUpperCase(part.charAt(0)) + part.substring(1) : part);
        }
        return camel.toString();
    }

    private static List<String> withCamelCase(String name, String... aliases) {
        var all = new ArrayList<>(List.of(aliases));
        String camel = camelCase(name);
        if (!camel.equals(name) && !all.contains(camel)) {
            all.add(camel);
        }
        return all;
    }
}
