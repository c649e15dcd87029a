package corral.workers.config;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * One attribute of an app as the file gives it: the name as spelled there (an alias, or
 * {@code env.PORT} for an environment entry), its raw value and where it sits.
 */
record Field(String label, JsonNode value, JsonPointer pointer) {

    /** The value as JSON text, the way problems quote it. */
    String json() {
        return value.toString();
    }
}
