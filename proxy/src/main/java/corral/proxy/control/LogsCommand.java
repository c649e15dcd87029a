package corral.proxy.control;

import com.fasterxml.jackson.databind.JsonNode;
import corral.proxy.admin.AdminJson;
import corral.workers.config.AppConfig;
import corral.workers.config.ConfigException;
import corral.workers.config.Ecosystem;
import corral.workers.config.EcosystemLoader;
import corral.workers.logs.LogFiles;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code bin/control logs}: the last lines of each log file of the apps, then, as {@code pm2
 * logs}, new lines as they come. The files are those the daemon writes ({@code out_file} and
 * {@code error_file} of pm2.json honoured); with no daemon running, those that {@code
 * conf/pm2.json} names. Streaming is PM2's default in a terminal; piped (a script), or with
 * {@code --nostream}, it prints and exits; {@code --follow} streams even when piped.
 */
@Command(name = "logs", customSynopsis = "logs [app...] [--lines N] [--err|--out] [--json] [--nostream|--follow]",
        description = "the apps' log files: the last lines, then new ones as they come (as pm2 logs)")
final class LogsCommand extends Subcommand {

    private static final long POLL_MS = 250;

    /** One file of one app: {@code type} is PM2's "out" or "err". */
    record Source(String app, String type, Path path) { }

    @Parameters(arity = "0..*", paramLabel = "<app>", description = "app names, or all (the default)")
    List<String> apps = List.of();

    @Option(names = "--lines", paramLabel = "N", description = "how many last lines of each file (default 20)")
    int lines = 20;

    @Option(names = "--err", description = "only the error logs")
    boolean errOnly;

    @Option(names = "--out", description = "only the standard output logs")
    boolean outOnly;

    @Option(names = "--json", description = "one JSON object per line: app_name, type, file, message")
    boolean json;

    @Option(names = "--nostream", description = "print the last lines and exit (the default when not in a terminal)")
    boolean noStream;

    @Option(names = {"-f", "--follow"}, description = "keep printing new lines, even when not in a terminal")
    boolean follow;

    @Override
    int run() throws Exception {
        if (lines < 0) {
            throw new UsageException("--lines must be 0 or more, was " + lines);
        }
        if (errOnly && outOnly) {
            throw new UsageException("--err and --out exclude each other (give neither for both)");
        }
        if (noStream && follow) {
            throw new UsageException("--nostream and --follow exclude each other");
        }
        ControlContext c = context();
        List<Source> sources = sources(c).stream()
                .filter(s -> !(errOnly && s.type().equals("out")) && !(outOnly && s.type().equals("err")))
                .toList();
        if (sources.stream().noneMatch(s -> Files.exists(s.path())) && (noStream || !streams())) {
            c.err.println("bin/control logs: no log files for " + (apps.isEmpty() ? "any app" : "app '" + String.join("', '", apps) + "'")
                    + " (looked in " + String.join(", ", sources.stream().map(s -> s.path().getParent().toString()).distinct().toList())
                    + ")");
            return ControlMain.FAILED;
        }
        boolean stream = follow || (!noStream && streams());
        Map<Source, LogTail> tails = new LinkedHashMap<>();
        try {
            for (Source s : sources) {
                LogTail tail = LogTail.lastLines(s.path(), lines);
                tails.put(s, tail);
                List<String> last = tail.poll(!stream);
                if (!json && Files.exists(s.path())) {
                    c.out.println("==> " + s.path() + " <==");
                }
                last.forEach(line -> print(c, s, line, false));
            }
            while (stream && !c.out.checkError()) {
                Thread.sleep(POLL_MS);
                for (Map.Entry<Source, LogTail> t : tails.entrySet()) {
                    t.getValue().poll(false).forEach(line -> print(c, t.getKey(), line, true));
                }
            }
        } finally {
            for (LogTail t : tails.values()) {
                t.close();
            }
        }
        return ControlMain.OK;
    }

    /** PM2 streams by default; a script that pipes the output must not hang, so only in a terminal. */
    private static boolean streams() {
        return System.console() != null;
    }

    private void print(ControlContext c, Source s, String line, boolean followed) {
        if (json) {
            Map<String, String> m = new LinkedHashMap<>();
            m.put("app_name", s.app());
            m.put("type", s.type());
            m.put("file", s.path().toString());
            m.put("message", line);
            try {
                c.out.println(AdminJson.MAPPER.writeValueAsString(m));
            } catch (IOException e) {
                throw new IllegalStateException(e); // a map of strings always serialises
            }
        } else {
            c.out.println(followed ? s.path().getFileName() + " | " + line : line);
        }
    }

    /** The files of the named apps (all when none): from the daemon, else from conf/pm2.json, else by name. */
    private List<Source> sources(ControlContext c) throws IOException {
        if (c.admin.daemonAnswers()) {
            return fromStatus(StatusCommand.only(c.status(), apps));
        }
        Optional<Ecosystem> eco = ecosystem(c.root.resolve("conf/pm2.json"));
        if (eco.isPresent()) {
            return fromConfig(eco.get(), c);
        }
        return byName(c.home.logDir());
    }

    private static List<Source> fromStatus(JsonNode status) {
        List<Source> out = new ArrayList<>();
        for (JsonNode app : status.path("apps")) {
            String name = app.path("name").asText();
            app.path("logs").path("out").forEach(p -> out.add(new Source(name, "out", Path.of(p.asText()))));
            app.path("logs").path("error").forEach(p -> out.add(new Source(name, "err", Path.of(p.asText()))));
        }
        return out;
    }

    private List<Source> fromConfig(Ecosystem eco, ControlContext c) throws IOException {
        LogFiles files = new LogFiles(c.home.logDir());
        List<Source> out = new ArrayList<>();
        List<String> known = eco.apps().stream().map(AppConfig::name).toList();
        for (String name : apps) {
            if (!name.equals(ControlContext.ALL) && !known.contains(name)) {
                throw new IOException("no app named '" + name + "' in conf/pm2.json (apps: " + String.join(", ", known) + ")");
            }
        }
        for (AppConfig app : eco.apps()) {
            if (apps.isEmpty() || apps.contains(ControlContext.ALL) || apps.contains(app.name())) {
                files.pathsOf(app, LogFiles.Stream.OUT).forEach(p -> out.add(new Source(app.name(), "out", p)));
                files.pathsOf(app, LogFiles.Stream.ERROR).forEach(p -> out.add(new Source(app.name(), "err", p)));
            }
        }
        return out;
    }

    /** No daemon and no readable pm2.json: the default names in the log directory. */
    private List<Source> byName(Path logDir) throws IOException {
        List<Source> out = new ArrayList<>();
        if (apps.isEmpty() || apps.contains(ControlContext.ALL)) {
            throw new IOException("no daemon runs and conf/pm2.json does not load: name the app (bin/control logs h5)");
        }
        for (String app : apps) {
            for (String type : List.of("out", "error")) {
                try (DirectoryStream<Path> d = Files.newDirectoryStream(logDir, app + "-" + type + "*.log")) {
                    List<Path> found = new ArrayList<>();
                    d.forEach(found::add);
                    found.stream().sorted().forEach(p -> out.add(new Source(app, type.equals("out") ? "out" : "err", p)));
                } catch (java.nio.file.NoSuchFileException e) {
                    // no log directory yet: nothing to show
                }
            }
        }
        return out;
    }

    private static Optional<Ecosystem> ecosystem(Path conf) {
        try {
            return Optional.of(EcosystemLoader.load(conf, Optional.empty(), Runtime.getRuntime().availableProcessors()));
        } catch (ConfigException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
