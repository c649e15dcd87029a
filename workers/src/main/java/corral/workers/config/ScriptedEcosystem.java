package corral.workers.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A JavaScript ecosystem file ({@code ecosystem.config.js}, {@code .cjs}, {@code .mjs}), evaluated
 * as PM2 evaluates it: by node, which runs every app anyway. {@code module.exports} or {@code
 * export default}, {@code __dirname} the file's directory, {@code process.env} the caller's (this
 * JVM's) and the file's directory as the working directory, so relative paths mean what they mean
 * in the rest of the file. What it exports becomes JSON text that the loader validates exactly as
 * a {@code pm2.json}; a file that throws or does not parse is one problem naming the line node
 * gives.
 */
final class ScriptedEcosystem {

    private static final String MARKER = "\n--- corral ecosystem ---\n";
    private static final Duration TIME_LIMIT = Duration.ofSeconds(10);
    private static final String EVALUATOR = resource("ecosystem-eval.cjs");

    private ScriptedEcosystem() {
    }

    /** True for the names node runs as a module: {@code .js}, {@code .cjs}, {@code .mjs}. */
    static boolean isScript(Path file) {
        String name = file.getFileName() == null ? "" : file.getFileName().toString();
        return name.endsWith(".js") || name.endsWith(".cjs") || name.endsWith(".mjs");
    }

    /** What the file exports, as JSON text; or every reason it exports nothing usable. */
    static String evaluate(Path file) throws ConfigException {
        Path absolute = file.toAbsolutePath().normalize();
        if (!absolute.toFile().isFile()) {
            throw problem(file, OptionalInt.empty(), "no such file");
        }
        ProcessBuilder node = new ProcessBuilder("node", "-e", EVALUATOR, absolute.toString())
                .directory(absolute.getParent().toFile())
                .redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        Process process;
        try {
            process = node.start();
        } catch (IOException e) {
            throw problem(file, OptionalInt.empty(), "cannot run node to evaluate it: " + e.getMessage());
        }
        String output = outputOf(process, file);
        int end = output.lastIndexOf(MARKER);
        if (end < 0) {
            throw problem(file, OptionalInt.empty(), "node could not evaluate it: " + lastLines(output));
        }
        return result(file, output.substring(end + MARKER.length()));
    }

    private static String outputOf(Process process, Path file) throws ConfigException {
        CompletableFuture<String> output = CompletableFuture.supplyAsync(() -> readAll(process.getInputStream()));
        try {
            if (!process.waitFor(TIME_LIMIT.toMillis(), TimeUnit.MILLISECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                throw problem(file, OptionalInt.empty(), "node did not finish evaluating it within "
                        + TIME_LIMIT.toSeconds() + " s (does it start something, or await forever?)");
            }
            return output.get(TIME_LIMIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw problem(file, OptionalInt.empty(), "interrupted while node evaluated it");
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw problem(file, OptionalInt.empty(), "cannot read what node printed: " + e.getMessage());
        }
    }

    private static String result(Path file, String json) throws ConfigException {
        JsonNode result;
        try {
            result = Json.MAPPER.readTree(json);
        } catch (IOException e) {
            throw problem(file, OptionalInt.empty(), "node printed no result: " + lastLines(json));
        }
        if (result.has("error")) {
            JsonNode line = result.path("line");
            throw problem(file, line.canConvertToInt() && line.asInt() > 0 ? OptionalInt.of(line.asInt())
                    : OptionalInt.empty(), "node cannot evaluate it: " + result.path("error").asText());
        }
        return result.path("config").toString();
    }

    private static ConfigException problem(Path file, OptionalInt line, String why) {
        return new ConfigException(List.of(new ConfigProblem(file, line, OptionalInt.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), why)), List.of());
    }

    private static String lastLines(String output) {
        List<String> lines = output.strip().lines().toList();
        return lines.isEmpty() ? "(no output)" : String.join(" / ", lines.subList(Math.max(0, lines.size() - 3), lines.size()));
    }

    private static String readAll(InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String resource(String name) {
        try (InputStream in = ScriptedEcosystem.class.getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("the evaluator " + name + " is missing from the jar", e);
        }
    }
}
