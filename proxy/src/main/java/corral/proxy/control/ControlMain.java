package corral.proxy.control;

import corral.proxy.daemon.ConfigSet;
import corral.proxy.daemon.DaemonSettings;
import corral.proxy.daemon.InvalidConfigException;
import corral.proxy.rules.RulesException;
import corral.proxy.rules.VhostConfig;
import corral.proxy.rules.VhostLoader;
import corral.workers.cgroup.Cgroups;
import corral.workers.config.AppConfig;
import corral.workers.config.ConfigException;
import corral.workers.config.Ecosystem;
import corral.workers.config.EcosystemLoader;
import corral.workers.config.EcosystemReport;
import corral.workers.home.HomeLayout;
import java.io.IOException;
import java.io.PrintStream;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * {@code bin/control}: one command per run, one clear last line, an exit code a release script
 * can trust (0 done, 1 failed, 2 wrong usage).
 */
public final class ControlMain {

    static final int OK = 0;
    static final int FAILED = 1;
    static final int USAGE = 2;

    /** Each command and its one-line help, in the order {@code --help} lists them. */
    static final Map<String, String> COMMANDS = new LinkedHashMap<>();

    static {
        COMMANDS.put("start", "start [app] [--env NAME] [--conf FILE] [--vhost PATH]   start the daemon if needed, then all apps (or one)");
        COMMANDS.put("stop", "stop <app>                 stop one app's instances (drained, then SIGINT, then SIGKILL)");
        COMMANDS.put("restart", "restart <app>              hard restart: stop every instance, then start them all");
        COMMANDS.put("reload", "reload <app> [--parallel K]   zero-downtime rolling replacement, K at a time");
        COMMANDS.put("delete", "delete <app>               stop one app and forget it until the next start/reload-conf");
        COMMANDS.put("scale", "scale <app> <N>            run N instances");
        COMMANDS.put("status", "status [--json]            apps and instances, like pm2 ls");
        COMMANDS.put("monit", "monit                      live view of pools and instances (CPU, memory, req/s, errors); q quits");
        COMMANDS.put("metrics", "metrics                    the daemon's metrics as JSON (requests, errors by kind, latency, in flight)");
        COMMANDS.put("logs", "logs <app> [--lines N] [--follow]   the app's log files");
        COMMANDS.put("reload-conf", "reload-conf                re-read pm2.json and the vhost rules, apply the difference");
        COMMANDS.put("offline", "offline                    /health answers 503 (the VIP drains this machine); traffic still served");
        COMMANDS.put("online", "online                     /health answers 200 again");
        COMMANDS.put("reopen-logs", "reopen-logs                reopen every log file (after logrotate)");
        COMMANDS.put("kill", "kill                       stop every app and the daemon");
        COMMANDS.put("check", "check [--conf FILE] [--vhost PATH] [--env NAME]   validate the configuration, like nginx -t");
    }

    private final PrintStream out;
    private final PrintStream err;
    private final Path root;
    private final HomeLayout home;

    ControlMain(PrintStream out, PrintStream err, Path root, HomeLayout home) {
        this.out = out;
        this.err = err;
        this.root = root;
        this.home = home;
    }

    public static void main(String[] argv) {
        Path root = Path.of(System.getProperty("corral.root", ".")).toAbsolutePath().normalize();
        HomeLayout home = HomeLayout.fromEnvironment(System.getenv(), root);
        System.exit(new ControlMain(System.out, System.err, root, home).run(argv));
    }

    int run(String[] argv) {
        try {
            Args args = Args.parse(argv);
            if (args.command().equals("help") || args.command().equals("--help")) {
                usage(out);
                return OK;
            }
            if (!COMMANDS.containsKey(args.command())) {
                err.println("bin/control: unknown command '" + args.command() + "'");
                usage(err);
                return USAGE;
            }
            if (args.flag("help")) {
                out.println("usage: bin/control " + COMMANDS.get(args.command()));
                return OK;
            }
            return dispatch(args);
        } catch (UsageException e) {
            err.println("bin/control: " + e.getMessage());
            return USAGE;
        } catch (IOException e) {
            err.println("bin/control: " + e.getMessage());
            return FAILED;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("bin/control: interrupted");
            return FAILED;
        }
    }

    private int dispatch(Args a) throws IOException, InterruptedException {
        AdminClient admin = new AdminClient(home);
        return switch (a.command()) {
            case "check" -> check(a);
            case "start" -> start(a, admin);
            case "status" -> status(a, admin);
            case "metrics" -> {
                a.allowOnly();
                HttpResponse<String> r = admin.get("metrics");
                (r.statusCode() == 200 ? out : err).println(r.body());
                yield r.statusCode() == 200 ? OK : FAILED;
            }
            case "logs" -> logs(a);
            case "monit" -> Monitor.run(admin, out, err);
            case "stop", "restart", "delete" -> {
                a.allowOnly();
                yield post(admin, a.command(), Map.of("app", a.app()));
            }
            case "reload" -> {
                a.allowOnly("parallel");
                yield post(admin, "reload", Map.of("app", a.app(), "parallel", a.option("parallel").orElse("1")));
            }
            case "kill" -> {
                a.allowOnly();
                yield kill(admin);
            }
            case "scale" -> {
                a.allowOnly();
                if (a.words().size() != 2) {
                    throw new UsageException("usage: bin/control " + COMMANDS.get("scale"));
                }
                yield post(admin, "scale", Map.of("app", a.app(), "instances", a.words().get(1)));
            }
            default -> {
                a.allowOnly();
                yield post(admin, a.command(), Map.of());
            }
        };
    }

    private int check(Args a) {
        a.allowOnly("conf", "vhost", "env");
        Path conf = path(a.option("conf"), root.resolve("conf/pm2.json"));
        Path vhost = path(a.option("vhost"), root.resolve("conf/vhost"));
        Ecosystem eco;
        try {
            eco = EcosystemLoader.load(conf, a.option("env"), Runtime.getRuntime().availableProcessors());
        } catch (ConfigException e) {
            EcosystemReport.render(e).forEach(err::println);
            return FAILED;
        }
        try {
            DaemonSettings.load(home, conf, vhost, a.option("env"));
        } catch (InvalidConfigException e) {
            e.problems().forEach(p -> err.println("error: " + p));
            return FAILED;
        }
        List<String> report = new ArrayList<>(EcosystemReport.render(eco));
        report.remove(report.size() - 1); // the "OK" line comes after the rules
        report.forEach(out::println);
        out.println(Cgroups.probe(home, System.getenv()).summary());
        if (!ConfigSet.hasRules(vhost)) {
            out.println("vhost: no rules at " + vhost + ": no vhost listener");
            out.println("OK");
            return OK;
        }
        try {
            VhostConfig rules = VhostLoader.load(vhost, eco.apps().stream().map(AppConfig::name).collect(Collectors.toSet()),
                    ConfigSet.publicPorts(eco));
            out.println("vhost: " + rules.files().size() + " file(s) from " + vhost + ", listen " + rules.listenPorts());
            out.println("OK");
            return OK;
        } catch (RulesException e) {
            e.problems().forEach(p -> err.println("error: " + p));
            err.println(vhost + ": check failed, " + e.problems().size() + " error(s)");
            return FAILED;
        }
    }

    private int start(Args a, AdminClient admin) throws IOException, InterruptedException {
        a.allowOnly("env", "conf", "vhost");
        if (!admin.daemonAnswers()) {
            Path conf = path(a.option("conf"), root.resolve("conf/pm2.json"));
            Path vhost = path(a.option("vhost"), root.resolve("conf/vhost"));
            out.println("starting the Corral daemon (home " + home.root() + ", conf " + conf + ")");
            String said = DaemonLauncher.launch(home, conf, vhost, a.option("env"), admin);
            if (!said.isEmpty()) {
                out.println(said);
            }
        } else if (a.option("conf").isPresent() || a.option("vhost").isPresent() || a.option("env").isPresent()) {
            err.println("bin/control: a daemon already runs for " + home.root()
                    + "; --conf/--vhost/--env apply when it starts (use reload-conf to re-read the files)");
        }
        Map<String, String> params = new HashMap<>();
        a.words().stream().findFirst().ifPresent(app -> params.put("app", app));
        return post(admin, "start", params);
    }

    private int status(Args a, AdminClient admin) throws IOException {
        a.allowOnly("json");
        HttpResponse<String> r = admin.get("status");
        if (r.statusCode() != 200) {
            err.println("bin/control: " + AdminClient.errorText(r.body()));
            return FAILED;
        }
        if (a.flag("json")) {
            out.println(r.body());
        } else {
            StatusTable.print(r.body(), out);
        }
        return OK;
    }

    private int logs(Args a) throws IOException, InterruptedException {
        a.allowOnly("lines", "follow");
        int lines = Integer.parseInt(a.option("lines").orElse("20"));
        return LogTail.print(home.logDir(), a.app(), lines, a.flag("follow"), out, err);
    }

    /** Stops the daemon and returns once its process is gone, so its ports and state are free. */
    private int kill(AdminClient admin) throws IOException, InterruptedException {
        long pid = admin.daemonPid();
        int exit = post(admin, "kill", Map.of());
        long deadline = System.currentTimeMillis() + 30_000;
        while (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
            if (System.currentTimeMillis() > deadline) {
                err.println("bin/control kill: daemon pid " + pid + " still running after 30 s");
                return FAILED;
            }
            Thread.sleep(50);
        }
        return exit;
    }

    private int post(AdminClient admin, String command, Map<String, String> params) throws IOException {
        AdminClient.Outcome outcome = admin.post(command, params, out::println);
        if (outcome.ok()) {
            out.println(outcome.summary());
            return OK;
        }
        err.println("bin/control " + command + ": " + outcome.summary());
        return FAILED;
    }

    private static Path path(Optional<String> given, Path fallback) {
        return given.map(p -> Path.of(p).toAbsolutePath().normalize()).orElse(fallback);
    }

    private static void usage(PrintStream to) {
        to.println("usage: bin/control <command> [args]   (home: $CORRAL_HOME, default the Corral directory)");
        COMMANDS.values().forEach(line -> to.println("  " + line));
    }
}
