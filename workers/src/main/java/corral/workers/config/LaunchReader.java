package corral.workers.config;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Reads {@code cwd}, {@code script}, {@code args}, {@code exec_interpreter} and {@code node_args}
 * into a {@link Launch}. Relative paths resolve as in PM2 with the file's directory standing in
 * for the shell's: {@code cwd} against the file's directory (which is also the default), the
 * script against {@code cwd}. The script must exist at load, so a typo fails {@code check}, not
 * the first start.
 */
final class LaunchReader {

    /** PM2's lib/API/interpreter.json, plus the module extensions of node. */
    private static final Map<String, String> INTERPRETER_BY_EXTENSION = Map.of(
            ".js", "node", ".mjs", "node", ".cjs", "node",
            ".sh", "bash", ".py", "python3", ".rb", "ruby", ".php", "php", ".pl", "perl",
            ".ts", "bun", ".tsx", "bun");

    private final String app;
    private final AppFields fields;
    private final Problems problems;

    private LaunchReader(String app, AppFields fields, Problems problems) {
        this.app = app;
        this.fields = fields;
        this.problems = problems;
    }

    static Optional<Launch> read(String app, AppFields fields, Path baseDir, Problems problems) {
        return new LaunchReader(app, fields, problems).read(baseDir);
    }

    private Optional<Launch> read(Path baseDir) {
        int errorsBefore = problems.errorCount();
        Optional<Path> cwd = cwd(baseDir);
        Optional<Field> field = fields.get("script");
        if (field.isEmpty()) {
            problems.error(app, fields.at(), "script", "is missing: the file to run is required");
            return Optional.empty();
        }
        Optional<String> scriptText = Values.pathText(field.get().value(), invalid(field.get()));
        if (scriptText.isPresent() && scriptText.get().isBlank()) {
            problems.error(app, field.get(), "is empty: the file to run is required");
        }
        if (scriptText.isEmpty() || scriptText.get().isBlank()) {
            return Optional.empty();
        }
        Launch launch = scriptText.get().trim().matches(".*\\s.*")
                ? shellCommand(cwd.orElse(baseDir), scriptText.get().trim())
                : program(cwd, baseDir, scriptText.get());
        return problems.errorCount() == errorsBefore ? Optional.of(launch) : Optional.empty();
    }

    /** The directory to run in; empty when the one given is wrong (reported). */
    private Optional<Path> cwd(Path baseDir) {
        Optional<Field> field = fields.get("cwd");
        if (field.isEmpty()) {
            return Optional.of(baseDir);
        }
        Optional<Path> cwd = Values.pathText(field.get().value(), invalid(field.get())).map(text -> resolve(baseDir, text));
        if (cwd.isEmpty() || !Files.isDirectory(cwd.get())) {
            cwd.ifPresent(missing -> problems.error(app, field.get(), "is not a directory: " + missing));
            return Optional.empty();
        }
        return cwd;
    }

    /** A script path, run by its interpreter (given, or chosen by extension as PM2 does). */
    private Launch program(Optional<Path> cwd, Path baseDir, String scriptText) {
        Field field = fields.get("script").orElseThrow();
        Path script = resolve(cwd.orElse(baseDir), scriptText);
        if (cwd.isPresent() && !Files.isRegularFile(script)) {
            Optional<Path> onPath = scriptText.contains("/") ? Optional.empty() : findOnPath(scriptText);
            if (onPath.isEmpty()) {
                problems.error(app, field, "not found: " + script);
            }
            script = onPath.orElse(script);
        }
        return new Launch(cwd.orElse(baseDir), script, words("args"), interpreter(script), words("node_args"));
    }

    /**
     * PM2 runs a script with spaces in it ({@code "npm run serve"}) as {@code bash -c <script>},
     * replacing args and the interpreter; so does Corral, and says what it ignored.
     */
    private Launch shellCommand(Path cwd, String command) {
        for (String ignored : List.of("args", "exec_interpreter", "node_args")) {
            fields.get(ignored).ifPresent(field -> problems.warning(app, field,
                    "is ignored: a script with spaces is run as bash -c '<script>', as in PM2"));
        }
        Path shell = findOnPath("bash").or(() -> findOnPath("sh")).orElse(Path.of("/bin/sh"));
        return new Launch(cwd, shell, List.of("-c", command), Optional.empty(), List.of());
    }

    private Optional<String> interpreter(Path script) {
        Optional<Field> field = fields.get("exec_interpreter");
        if (field.isEmpty()) {
            return Optional.ofNullable(INTERPRETER_BY_EXTENSION.get(extension(script)));
        }
        Optional<String> given = Values.text(field.get().value(), invalid(field.get())).map(String::trim);
        if (given.isPresent() && given.get().startsWith("node@")) {
            problems.error(app, field.get(), "asks PM2 to pick a node version through nvm; "
                    + "give the path of that node instead");
        }
        if (given.isPresent() && given.get().isEmpty()) {
            problems.error(app, field.get(), "is empty; give a command, or \"none\" to run the script itself");
        }
        return given.filter(text -> !text.isEmpty() && !"none".equals(text));
    }

    private List<String> words(String attribute) {
        return fields.get(attribute)
                .flatMap(field -> Values.words(field.value(), invalid(field)))
                .orElse(List.of());
    }

    private Consumer<String> invalid(Field field) {
        return why -> problems.error(app, field, why);
    }

    /** {@code ~} is the home directory, as PM2's resolveHome makes it; the rest resolves against {@code base}. */
    static Path resolve(Path base, String text) {
        String path = text.trim();
        if (path.equals("~") || path.startsWith("~/")) {
            path = System.getProperty("user.home") + path.substring(1);
        }
        return base.resolve(path).normalize();
    }

    private static String extension(Path script) {
        String name = script.getFileName() == null ? "" : script.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(dot).toLowerCase(Locale.ROOT) : "";
    }

    /** What {@code which} would answer, as PM2 does for a script that is not a file. */
    private static Optional<Path> findOnPath(String command) {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(dir, command);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }
}
