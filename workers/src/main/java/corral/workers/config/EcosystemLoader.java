package corral.workers.config;

import com.fasterxml.jackson.core.JsonPointer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * Loads a PM2 ecosystem file ({@code pm2.json}, or {@code ecosystem.config.js}/{@code .cjs}/{@code
 * .mjs}, which node evaluates first) the way PM2 reads it, and validates all of it
 * at once: the result is either an {@link Ecosystem} whose apps are ready to run, or a
 * {@link ConfigException} with every error of the file. The only entry into this package.
 */
public final class EcosystemLoader {

    private EcosystemLoader() {
    }

    /**
     * Reads and validates {@code file}.
     *
     * @param file     the ecosystem file; messages name it as given, relative paths in it resolve
     *                 against its directory
     * @param envName  the {@code --env} name whose {@code env_<name>} overlays each app's env
     * @param cpuCount what {@code "max"}, 0 and negative instance counts resolve against
     *                 (callers pass {@code Runtime.getRuntime().availableProcessors()})
     */
    public static Ecosystem load(Path file, Optional<String> envName, int cpuCount) throws ConfigException {
        return load(file, envName, AppSelection.ALL, cpuCount);
    }

    /**
     * Reads {@code file} and validates the apps {@code only} selects ({@code --only}): the others
     * are read for their name alone, as they will not run, so their errors and the checks across
     * apps (unique public ports) do not concern them; a name no app has is an error.
     */
    public static Ecosystem load(Path file, Optional<String> envName, AppSelection only, int cpuCount)
            throws ConfigException {
        if (ScriptedEcosystem.isScript(file)) {
            return load(ParsedFile.evaluated(ScriptedEcosystem.evaluate(file), file), file, envName, only, cpuCount);
        }
        return load(read(file), file, envName, only, cpuCount);
    }

    /** Validates {@code text} as if it were the content of {@code file}. */
    public static Ecosystem load(String text, Path file, Optional<String> envName, int cpuCount)
            throws ConfigException {
        return load(text, file, envName, AppSelection.ALL, cpuCount);
    }

    /** Validates the apps {@code only} selects of {@code text}, as if it were the content of {@code file}. */
    public static Ecosystem load(String text, Path file, Optional<String> envName, AppSelection only, int cpuCount)
            throws ConfigException {
        return load(ParsedFile.parse(text, file), file, envName, only, cpuCount);
    }

    private static Ecosystem load(ParsedFile parsed, Path file, Optional<String> envName, AppSelection only,
            int cpuCount) throws ConfigException {
        if (cpuCount < 1) {
            throw new IllegalArgumentException("cpuCount must be >= 1, was " + cpuCount);
        }
        var problems = new Problems(file, parsed);
        warnAboutRepeatedKeys(parsed, problems);
        List<AppList.AppNode> nodes = selected(AppList.find(parsed.root(), problems), only, problems);
        List<AppFields> fields = nodes.stream().map(node -> AppFields.of(node.node(), node.at())).toList();
        Optional<String> knownEnv = envName.filter(env -> checkEnvExists(env, fields, problems));
        var settings = new LoadSettings(file, file.toAbsolutePath().normalize().getParent(), knownEnv, cpuCount);
        List<AppReader.Result> results = new ArrayList<>();
        for (int i = 0; i < nodes.size(); i++) {
            results.add(AppReader.read(settings, fields.get(i), nodes.get(i).index(), problems));
        }
        checkUnique(results, problems);
        warnAboutSharedCpus(results, fields, problems);
        if (problems.errorCount() > 0) {
            throw new ConfigException(problems.errors(), problems.warnings());
        }
        List<AppConfig> apps = results.stream().flatMap(result -> result.config().stream()).toList();
        return new Ecosystem(file, apps, problems.warnings());
    }

    /** The apps {@code only} names, in file order; each name no app has is an error that lists the file's names. */
    private static List<AppList.AppNode> selected(List<AppList.AppNode> nodes, AppSelection only, Problems problems) {
        if (only.all()) {
            return nodes;
        }
        Set<String> names = new LinkedHashSet<>();
        List<AppList.AppNode> chosen = new ArrayList<>();
        for (AppList.AppNode node : nodes) {
            Optional<String> name = AppName.asWritten(AppFields.of(node.node(), node.at()));
            name.ifPresent(names::add);
            if (name.filter(only::includes).isPresent()) {
                chosen.add(node);
            }
        }
        String known = names.isEmpty() ? "it names none" : "its apps: " + String.join(", ", names);
        only.names().stream().filter(name -> !names.contains(name)).forEach(name ->
                problems.error(null, null, "--only " + name, "no app of the file is named '" + name + "' (" + known + ")"));
        return chosen;
    }

    /** PM2 only warns about an --env no app defines; here it is an error, since a misspelt name would run every app with its base env. */
    private static boolean checkEnvExists(String env, List<AppFields> apps, Problems problems) {
        Set<String> defined = new LinkedHashSet<>();
        apps.forEach(app -> defined.addAll(app.overlayNames()));
        if (defined.contains(env) || apps.isEmpty()) {
            return true;
        }
        String known = defined.isEmpty() ? "the file defines none"
                : "the file defines " + String.join(", ", defined.stream().map(name -> "env_" + name).toList());
        problems.error(null, null, "--env " + env, "no app has env_" + env + " (" + known + ")");
        return false;
    }

    /** Names and public ports are how the proxy and bin/control find an app: each must be unique. */
    private static void checkUnique(List<AppReader.Result> results, Problems problems) {
        Map<String, AppReader.Result> byName = new HashMap<>();
        Map<Integer, AppReader.Result> byPort = new HashMap<>();
        for (AppReader.Result result : results) {
            result.name().ifPresent(name -> {
                AppReader.Result first = byName.putIfAbsent(name, result);
                if (first != null) {
                    problems.error(name, result.nameSource().map(Field::pointer).orElse(result.at()), "name",
                            "'" + name + "' is already the name of the app"
                                    + lineOf(first.nameSource().map(Field::pointer).orElse(first.at()), problems)
                                    + "; names must be unique");
                }
            });
            result.publicPort().ifPresent(port -> {
                AppReader.Result first = byPort.putIfAbsent(port, result);
                if (first != null) {
                    problems.error(result.name().orElse(null), result.portSource().orElseThrow(),
                            "is already the public port of app '" + first.name().orElse("?") + "'"
                                    + lineOf(first.portSource().orElseThrow().pointer(), problems)
                                    + "; each app needs its own");
                }
            });
        }
    }

    /** Pools pinned to overlapping CPU sets compete for those CPUs: legal, but rarely meant. */
    private static void warnAboutSharedCpus(List<AppReader.Result> results, List<AppFields> fields, Problems problems) {
        for (int later = 1; later < results.size(); later++) {
            Optional<CpuSet> mine = cpusOf(results.get(later));
            Optional<Field> field = fields.get(later).get("cpus");
            for (int earlier = 0; earlier < later && mine.isPresent() && field.isPresent(); earlier++) {
                Optional<CpuSet> theirs = cpusOf(results.get(earlier));
                CpuSet shared = theirs.map(mine.get()::intersect).orElse(null);
                if (shared != null && !shared.isEmpty()) {
                    problems.warning(results.get(later).name().orElse(null), field.get(), "shares CPUs " + shared
                            + " with app '" + results.get(earlier).name().orElse("?") + "'"
                            + lineOf(fields.get(earlier).get("cpus").orElseThrow().pointer(), problems)
                            + ": the two pools compete for them");
                }
            }
        }
    }

    private static Optional<CpuSet> cpusOf(AppReader.Result result) {
        return result.config().flatMap(app -> app.resources().cpus());
    }

    private static String lineOf(JsonPointer at, Problems problems) {
        OptionalInt line = problems.lineOf(at);
        return line.isPresent() ? " at line " + line.getAsInt() : "";
    }

    private static void warnAboutRepeatedKeys(ParsedFile parsed, Problems problems) {
        parsed.repeatedKeys().forEach(pointer -> problems.warning(null, pointer, pointer.last().getMatchingProperty(),
                "is given twice in one object; the last one counts, as in JavaScript"));
    }

    private static String read(Path file) throws ConfigException {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw unreadable(file, "no such file");
        } catch (MalformedInputException e) {
            throw notUtf8(file);
        } catch (IOException e) {
            throw unreadable(file, "cannot be read: " + e.getMessage());
        }
    }

    /** Names the line and column of the first byte that is not UTF-8: one byte is hard to find by eye. */
    private static ConfigException notUtf8(Path file) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            return unreadable(file, "cannot be read: " + e.getMessage());
        }
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer decoded = CharBuffer.allocate(bytes.length);
        StandardCharsets.UTF_8.newDecoder().decode(in, decoded, true); // stops at the first malformed byte
        decoded.flip();
        int line = 1;
        int column = 1;
        while (decoded.hasRemaining()) {
            boolean newline = decoded.get() == '\n';
            line = newline ? line + 1 : line;
            column = newline ? 1 : column + 1;
        }
        String why = String.format("not UTF-8 text: byte 0x%02X here is not UTF-8 (save the file as UTF-8)",
                bytes[Math.min(in.position(), bytes.length - 1)] & 0xff);
        var problem = new ConfigProblem(file, OptionalInt.of(line), OptionalInt.of(column), Optional.empty(),
                Optional.empty(), Optional.empty(), why);
        return new ConfigException(List.of(problem), List.of());
    }

    private static ConfigException unreadable(Path file, String why) {
        var problem = new ConfigProblem(file, OptionalInt.empty(), OptionalInt.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), why);
        return new ConfigException(List.of(problem), List.of());
    }
}
