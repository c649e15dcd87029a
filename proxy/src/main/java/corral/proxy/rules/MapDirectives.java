package corral.proxy.rules;

import corral.proxy.rules.MapVariable.RegexKey;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Compiles {@code map $source $name { ... }} of the http level into a {@link MapVariable}, with
 * nginx 1.22's rules and messages: {@code default}, {@code hostnames}, {@code volatile},
 * {@code include} (spliced in by the parser), {@code ~regex} / {@code ~*regex} keys, a leading
 * {@code \} escaping a key, exact keys unique without case.
 */
final class MapDirectives {

    private final Problems problems;
    private final ScriptCompiler scripts;

    MapDirectives(Problems problems, ScriptCompiler scripts) {
        this.problems = problems;
        this.scripts = scripts;
    }

    /** The map's keys while its block is read. */
    private static final class Keys {
        boolean hostnames;
        boolean isVolatile;
        Template defaultValue;
        final Map<String, Template> exact = new HashMap<>();
        final Map<String, Template> head = new HashMap<>();
        final Map<String, Template> tail = new HashMap<>();
        final List<RegexKey> regexes = new ArrayList<>();
    }

    void map(Directive d) {
        if (!problems.expectBlock(d) || !problems.expectArgs(d, 2, 2)) {
            return;
        }
        String name = scripts.ownVariable(d, d.arg(1), "the duplicate \"%s\" variable: a map"
                + " cannot define a built-in variable; name it otherwise");
        if (name == null) {
            return;
        }
        Template source = scripts.mapTemplate(d, d.arg(0));
        Keys keys = new Keys();
        for (Directive line : d.block()) {
            entry(line, keys);
        }
        if (source != null) {
            scripts.addMap(new MapVariable(name, source, keys.hostnames, keys.isVolatile,
                    keys.exact, keys.head, keys.tail, keys.regexes, keys.defaultValue));
        }
    }

    /** One line of the block: its "name" is the key, its one argument the value. */
    private void entry(Directive line, Keys keys) {
        String key = line.name();
        if (line.block() != null) {
            problems.add(line, "unexpected \"{\" in map (each line is: key value;)");
            return;
        }
        if (line.args().isEmpty() && (key.equals("hostnames") || key.equals("volatile"))) {
            keys.hostnames |= key.equals("hostnames");
            keys.isVolatile |= key.equals("volatile");
            return;
        }
        if (line.args().size() != 1) {
            problems.add(line, "invalid number of the map parameters (each line is: key value;)"
                    + Problems.missingSemicolonHint(line));
            return;
        }
        Template value = scripts.mapTemplate(line, line.arg(0));
        if (value == null) {
            return;
        }
        if (key.equals("default")) {
            if (keys.defaultValue != null) {
                problems.add(line, "duplicate default map parameter");
            }
            keys.defaultValue = value;
        } else if (key.startsWith("~")) {
            boolean caseless = key.startsWith("~*");
            NginxRegex regex = scripts.regex(line, key.substring(caseless ? 2 : 1), caseless);
            if (regex != null) {
                keys.regexes.add(new RegexKey(regex, value));
            }
        } else {
            exactOrWildcard(line, key.startsWith("\\") ? key.substring(1) : key, value, keys);
        }
    }

    private void exactOrWildcard(Directive line, String key, Template value, Keys keys) {
        String lower = HostHeader.lowerAscii(key);
        boolean added;
        if (!keys.hostnames || lower.indexOf('*') < 0 && !lower.startsWith(".")) {
            added = keys.exact.putIfAbsent(lower, value) == null;
        } else if (lower.startsWith("*.") && lower.indexOf('*', 1) < 0 && lower.length() > 2) {
            added = keys.head.putIfAbsent(lower.substring(1), value) == null;
        } else if (lower.startsWith(".") && lower.indexOf('*') < 0 && lower.length() > 1) {
            // ".example.com" is also "example.com" itself
            added = keys.exact.putIfAbsent(lower.substring(1), value) == null
                    & keys.head.putIfAbsent(lower, value) == null;
        } else if (lower.endsWith(".*") && lower.indexOf('*') == lower.length() - 1
                && lower.length() > 2) {
            added = keys.tail.putIfAbsent(lower.substring(0, lower.length() - 1), value) == null;
        } else {
            problems.add(line, "invalid hostname or wildcard \"" + key + "\"");
            return;
        }
        if (!added) {
            problems.add(line, "conflicting parameter \"" + key + "\" (the key is already in this"
                    + " map; nginx compares keys without case)");
        }
    }
}
