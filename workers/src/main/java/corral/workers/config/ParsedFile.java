package corral.workers.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Pattern;

/**
 * An ecosystem file's JSON tree together with where each value sits in the text, so that every
 * problem found later in the tree can name its line. Keys are remembered by JSON pointer
 * ({@code /apps/1/instances}); an object member is placed at its key, an array element at its
 * first token. A key given twice in one object is remembered too: JavaScript keeps the last one,
 * as the tree does, and the loader says so.
 */
final class ParsedFile {

    private final JsonNode root;
    private final Map<String, JsonLocation> positions;
    private final List<JsonPointer> repeatedKeys;

    private ParsedFile(JsonNode root, Map<String, JsonLocation> positions, List<JsonPointer> repeatedKeys) {
        this.root = root;
        this.positions = positions;
        this.repeatedKeys = List.copyOf(repeatedKeys);
    }

    /** Parses {@code text}; a syntax error becomes a problem naming line, column and reason. */
    static ParsedFile parse(String text, Path file) throws ConfigException {
        try {
            JsonNode root = Json.MAPPER.readTree(text);
            if (root == null || root.isMissingNode()) {
                throw single(file, OptionalInt.empty(), OptionalInt.empty(), "the file is empty");
            }
            var positions = new HashMap<String, JsonLocation>();
            var repeated = new ArrayList<JsonPointer>();
            recordPositions(text, positions, repeated);
            return new ParsedFile(root, positions, repeated);
        } catch (JsonProcessingException e) {
            throw syntaxError(file, text, e);
        } catch (IOException e) {
            throw new UncheckedIOException("reading a String cannot fail", e);
        }
    }

    /**
     * What a JavaScript ecosystem file exported, as JSON: its values have no line in the file that
     * the JSON could tell (problems then name the app and attribute), and no key can repeat.
     */
    static ParsedFile evaluated(String json, Path file) throws ConfigException {
        return new ParsedFile(parse(json, file).root, Map.of(), List.of());
    }

    JsonNode root() {
        return root;
    }

    /** Keys that appear more than once in one object (the last one wins, as in JavaScript). */
    List<JsonPointer> repeatedKeys() {
        return repeatedKeys;
    }

    /** The line of the value at {@code at}, or of its nearest enclosing value that has one. */
    OptionalInt line(JsonPointer at) {
        for (JsonPointer p = at; p != null; p = p.head()) {
            JsonLocation location = positions.get(p.toString());
            if (location != null) {
                return OptionalInt.of(location.getLineNr());
            }
        }
        return OptionalInt.empty();
    }

    private static void recordPositions(String text, Map<String, JsonLocation> positions,
            List<JsonPointer> repeated) throws IOException {
        try (JsonParser parser = Json.MAPPER.createParser(text)) {
            for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
                Optional<JsonPointer> pointer = pointerOf(parser, token);
                if (pointer.isEmpty()) {
                    continue;
                }
                JsonLocation previous = positions.put(pointer.get().toString(), parser.currentTokenLocation());
                if (previous != null && token == JsonToken.FIELD_NAME) {
                    repeated.add(pointer.get());
                }
            }
        }
    }

    /**
     * The pointer a token starts, if it starts one: a key, or an element of an array (or the root).
     * At a START token the parser has already entered the new container, so its place is
     * described by the parent context.
     */
    private static Optional<JsonPointer> pointerOf(JsonParser parser, JsonToken token) {
        JsonStreamContext context = parser.getParsingContext();
        if (token == JsonToken.FIELD_NAME) {
            return Optional.of(context.pathAsPointer());
        }
        if (token == JsonToken.START_OBJECT || token == JsonToken.START_ARRAY) {
            context = context.getParent();
        } else if (!token.isScalarValue()) {
            return Optional.empty();
        }
        if (context.inArray() || context.inRoot()) {
            return Optional.of(context.pathAsPointer());
        }
        return Optional.empty();
    }

    private static final Pattern QUOTED_CHAR = Pattern.compile("\\('(.+?)' \\(code \\d+\\)\\)");
    private static final Pattern CONTROL_CHAR = Pattern.compile("\\(CTRL-CHAR, code (\\d+)\\)");
    private static final Pattern SOURCE_REF = Pattern.compile(
            "\\[Source: [^;]*; line: (\\d+), column: (\\d+)]");

    private static ConfigException syntaxError(Path file, String text, JsonProcessingException e) {
        JsonLocation at = e.getLocation();
        OptionalInt line = at == null || at.getLineNr() < 1 ? OptionalInt.empty() : OptionalInt.of(at.getLineNr());
        OptionalInt column = at == null || at.getColumnNr() < 1 ? OptionalInt.empty() : OptionalInt.of(at.getColumnNr());
        return single(file, line, column, "not valid JSON: " + plainReason(e.getOriginalMessage()) + javaScriptHint(text));
    }

    /** Jackson's reason without the character codes and source descriptions meant for developers. */
    static String plainReason(String reason) {
        String plain = QUOTED_CHAR.matcher(reason).replaceAll("'$1'");
        plain = CONTROL_CHAR.matcher(plain).replaceAll("(control character $1)");
        return SOURCE_REF.matcher(plain).replaceAll("line $1, column $2").trim();
    }

    private static String javaScriptHint(String text) {
        if (text.contains("module.exports") || text.contains("export default")) {
            return " (this looks like a JavaScript ecosystem file: name it ecosystem.config.js, .cjs or .mjs "
                    + "and node evaluates it, as PM2 does)";
        }
        return "";
    }

    private static ConfigException single(Path file, OptionalInt line, OptionalInt column, String why) {
        var problem = new ConfigProblem(file, line, column, Optional.empty(), Optional.empty(),
                Optional.empty(), why);
        return new ConfigException(List.of(problem), List.of());
    }
}
