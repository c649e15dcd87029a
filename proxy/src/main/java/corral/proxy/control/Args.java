package corral.proxy.control;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** A parsed command line: the command, its positional words, and its {@code --options}. */
record Args(String command, List<String> words, Map<String, String> options) {

    /** Options that take no value. */
    private static final Set<String> FLAGS = Set.of("json", "follow", "help", "foreground", "install");

    static Args parse(String[] argv) {
        List<String> words = new ArrayList<>();
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i < argv.length; i++) {
            String a = argv[i];
            if (a.equals("-h")) {
                options.put("help", "true");
            } else if (a.startsWith("--")) {
                String name = a.substring(2);
                int eq = name.indexOf('=');
                if (eq >= 0) {
                    options.put(name.substring(0, eq), name.substring(eq + 1));
                } else if (FLAGS.contains(name)) {
                    options.put(name, "true");
                } else if (i + 1 < argv.length) {
                    options.put(name, argv[++i]);
                } else {
                    throw new UsageException("--" + name + " needs a value");
                }
            } else {
                words.add(a);
            }
        }
        String command = words.isEmpty() ? "help" : words.remove(0);
        return new Args(command, List.copyOf(words), Map.copyOf(options));
    }

    Optional<String> option(String name) {
        return Optional.ofNullable(options.get(name));
    }

    boolean flag(String name) {
        return options.containsKey(name);
    }

    /** The one word a command like {@code stop <app>} takes. */
    String app() {
        if (words.isEmpty()) {
            throw new UsageException(command + " needs an app name (e.g. bin/control " + command + " h5)");
        }
        return words.get(0);
    }

    /** Fails on options this command does not know: a typo must not pass silently. */
    void allowOnly(String... names) {
        Set<String> allowed = Set.of(names);
        for (String o : options.keySet()) {
            if (!allowed.contains(o) && !o.equals("help")) {
                throw new UsageException(command + ": unknown option --" + o);
            }
        }
    }
}
