package corral.workers.config;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One app object of the file, its keys sorted out: which known attribute each key means (by any
 * PM2 spelling), which keys are {@code env_<name>} overlays, which are unknown, and which spell an
 * attribute that another key of the same app already gives. When two spellings meet, the
 * canonical one wins, then the first alias in PM2's order, as in PM2's validator.
 */
final class AppFields {

    private final JsonPointer at;
    private final Map<String, Field> byAttribute = new LinkedHashMap<>();
    private final Map<String, Field> overlays = new LinkedHashMap<>();
    private final List<Field> unknown = new ArrayList<>();
    private final List<Field> shadowed = new ArrayList<>();

    private AppFields(JsonPointer at) {
        this.at = at;
    }

    static AppFields of(ObjectNode app, JsonPointer at) {
        var fields = new AppFields(at);
        app.properties().forEach(entry -> fields.add(entry.getKey(), entry.getValue()));
        return fields;
    }

    /** Where the app object itself starts. */
    JsonPointer at() {
        return at;
    }

    /** The value given for an attribute, by its canonical name; a null value counts as not given, as in PM2. */
    Optional<Field> get(String attribute) {
        return Optional.ofNullable(byAttribute.get(attribute)).filter(field -> !field.value().isNull());
    }

    boolean has(String attribute) {
        return get(attribute).isPresent();
    }

    /** Each attribute given, by canonical name, in file order. */
    Map<String, Field> attributes() {
        return byAttribute;
    }

    /** The {@code env_<name>} overlay for {@code envName}, if the app has one. */
    Optional<Field> overlay(String envName) {
        return Optional.ofNullable(overlays.get(envName));
    }

    /** The names of the app's overlays ({@code dev} for {@code env_dev}). */
    Set<String> overlayNames() {
        return overlays.keySet();
    }

    List<Field> unknown() {
        return unknown;
    }

    /** Keys that gave an attribute another key of this app already gives; they are ignored. */
    List<Field> shadowed() {
        return shadowed;
    }

    private void add(String key, JsonNode value) {
        var field = new Field(key, value, at.appendProperty(key));
        Optional<Attribute> attribute = KnownAttributes.byKey(key);
        if (attribute.isPresent()) {
            addAttribute(attribute.get(), field);
        } else if (KnownAttributes.isEnvOverlay(key)) {
            overlays.put(key.substring(KnownAttributes.ENV_OVERLAY_PREFIX.length()), field);
        } else {
            unknown.add(field);
        }
    }

    private void addAttribute(Attribute attribute, Field field) {
        Field existing = byAttribute.get(attribute.name());
        if (existing == null) {
            byAttribute.put(attribute.name(), field);
        } else if (rank(attribute, field) < rank(attribute, existing)) {
            byAttribute.put(attribute.name(), field);
            shadowed.add(existing);
        } else {
            shadowed.add(field);
        }
    }

    private static int rank(Attribute attribute, Field field) {
        return attribute.spellings().indexOf(field.label());
    }
}
