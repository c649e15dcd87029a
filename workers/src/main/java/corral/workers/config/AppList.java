package corral.workers.config;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Finds the app objects in a file's top level, in every shape PM2 accepts (API.js _startJson):
 * {@code {apps: [...]}}, {@code {pm2: [...]}}, a bare array, or one app object on its own; a
 * single app object in place of the list is fine too.
 */
final class AppList {

    /** One app object and where it sits. */
    record AppNode(ObjectNode node, JsonPointer at, int index) {
    }

    private static final List<String> WRAPPERS = List.of("apps", "pm2");
    private static final Map<String, String> UNSUPPORTED_TOP_LEVEL = Map.of(
            "deploy", "deployment is done outside Corral; env_<name> still works",
            "static", "serve static files from an app of your own");

    private AppList() {
    }

    static List<AppNode> find(JsonNode root, Problems problems) {
        JsonPointer top = JsonPointer.empty();
        if (root.isArray()) {
            return elements(root, top, problems);
        }
        if (!root.isObject()) {
            problems.error(null, top, "the file holds " + root.getNodeType().toString().toLowerCase()
                    + ", not a list of apps: expected {apps: [...]}, a list of apps, or one app");
            return List.of();
        }
        // PM2 takes a null "apps" for an app attribute; it is far likelier an empty list gone wrong.
        Optional<String> wrapper = WRAPPERS.stream().filter(root::hasNonNull).findFirst()
                .or(() -> WRAPPERS.stream().filter(root::has).findFirst());
        if (wrapper.isEmpty()) {
            return List.of(new AppNode((ObjectNode) root, top, 0));
        }
        checkTopLevelKeys(root, wrapper.get(), problems);
        JsonPointer at = top.appendProperty(wrapper.get());
        JsonNode apps = root.get(wrapper.get());
        if (apps.isObject()) {
            return List.of(new AppNode((ObjectNode) apps, at, 0));
        }
        if (!apps.isArray()) {
            problems.error(null, at, wrapper.get(), "is not a list of apps");
            return List.of();
        }
        return elements(apps, at, problems);
    }

    private static List<AppNode> elements(JsonNode array, JsonPointer at, Problems problems) {
        var apps = new ArrayList<AppNode>();
        for (int i = 0; i < array.size(); i++) {
            JsonNode element = array.get(i);
            if (element.isObject()) {
                apps.add(new AppNode((ObjectNode) element, at.appendIndex(i), i));
            } else {
                problems.error("#" + (i + 1), at.appendIndex(i), "is not an object of attributes");
            }
        }
        if (array.isEmpty()) {
            problems.error(null, at, "the file defines no apps");
        }
        return apps;
    }

    private static void checkTopLevelKeys(JsonNode root, String wrapper, Problems problems) {
        root.properties().forEach(entry -> {
            String key = entry.getKey();
            JsonPointer at = JsonPointer.empty().appendProperty(key);
            if (key.equals(wrapper)) {
                return;
            }
            if (WRAPPERS.contains(key)) {
                problems.warning(null, at, key, "is ignored: '" + wrapper + "' is given too and counts, as in PM2");
            } else if (UNSUPPORTED_TOP_LEVEL.containsKey(key)) {
                problems.warning(null, at, key, "is not supported by Corral and is ignored ("
                        + UNSUPPORTED_TOP_LEVEL.get(key) + ")");
            } else {
                String hint = Spelling.closest(key, List.of("apps", "pm2", "deploy", "static"))
                        .map(known -> "; did you mean '" + known + "'?").orElse("");
                problems.warning(null, at, key, "unknown top-level attribute (typo?)" + hint);
            }
        });
    }
}
