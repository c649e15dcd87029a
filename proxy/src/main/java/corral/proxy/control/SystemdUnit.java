package corral.proxy.control;

import corral.proxy.daemon.DaemonSettings;
import corral.proxy.daemon.InvalidConfigException;
import corral.workers.config.AppConfig;
import corral.workers.config.AppSelection;
import corral.workers.config.ConfigException;
import corral.workers.config.Ecosystem;
import corral.workers.config.EcosystemLoader;
import corral.workers.config.EcosystemReport;
import corral.workers.home.HomeLayout;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The systemd unit that runs {@code bin/control daemon} for one Corral installation, as
 * {@code bin/control startup} prints it (and {@code --install} writes and enables it).
 *
 * <p>Why each line: {@code KillMode=mixed} sends the stop signal to the daemon alone (under the
 * default, every node instance would get SIGTERM too and stop before it drained) and SIGKILL to
 * whatever is left at the timeout; {@code TimeoutStopSec} covers {@code drain.delay}, then an
 * instance's drain and its SIGINT-to-SIGKILL grace (each up to the longest {@code kill_timeout});
 * {@code Delegate=yes} lets the daemon make its pools' cgroups under the service's own.
 */
public record SystemdUnit(Path control, HomeLayout home, Path conf, Path vhost, Optional<String> env,
                          AppSelection only, Optional<String> user, Duration stopTimeout, Map<String, String> environment) {

    /** Where {@code --install} writes the unit. */
    static final Path UNIT_FILE = Path.of("/etc/systemd/system/corral.service");

    /** Slack over the computed stop time: the JVM's exit, the last SIGKILLs. */
    private static final Duration STOP_SLACK = Duration.ofSeconds(15);

    /** Open files allowed: every client connection and two sockets per proxied request. */
    static final int NOFILE = 65536;

    /**
     * The unit for this configuration: the stop timeout from its {@code drain.delay.ms} and the
     * longest {@code kill_timeout} of its apps.
     */
    static SystemdUnit of(Path root, HomeLayout home, Path conf, Path vhost, Optional<String> env, AppSelection only,
                          Optional<String> user, Map<String, String> callerEnv) throws ConfigException, InvalidConfigException {
        Ecosystem eco = EcosystemLoader.load(conf, env, only, Runtime.getRuntime().availableProcessors());
        DaemonSettings settings = DaemonSettings.load(home, conf, vhost, env, only);
        Duration longestKill = eco.apps().stream().map(AppConfig::killTimeout).max(Duration::compareTo).orElse(Duration.ZERO);
        Duration stop = settings.drainDelay().plus(longestKill.multipliedBy(2)).plus(STOP_SLACK);
        Map<String, String> environment = new java.util.TreeMap<>();
        environment.put(HomeLayout.ENV, home.root().toString());
        Optional.ofNullable(callerEnv.get("CORRAL_JAVA_OPTS")).ifPresent(o -> environment.put("CORRAL_JAVA_OPTS", o));
        Optional.ofNullable(callerEnv.get("JAVA_HOME")).ifPresent(j -> environment.put("JAVA_HOME", j));
        Optional.ofNullable(callerEnv.get("PATH")).ifPresent(p -> environment.put("PATH", p)); // node, as the caller finds it
        return new SystemdUnit(root.resolve("bin/control"), home, conf, vhost, env, only, user, stop, environment);
    }

    /** The unit file's text. */
    public String render() {
        List<String> exec = new ArrayList<>(List.of(control.toString(), "daemon", "--conf", conf.toString(),
                "--vhost", vhost.toString()));
        env.ifPresent(e -> exec.addAll(List.of("--env", e)));
        if (!only.all()) {
            exec.addAll(List.of("--only", only.toString()));
        }
        StringBuilder u = new StringBuilder();
        u.append("# Corral, from `bin/control startup`: the daemon in the foreground, its log in the journal.\n");
        u.append("[Unit]\n");
        u.append("Description=Corral worker pools and proxy (").append(home.root()).append(")\n");
        u.append("After=network-online.target\nWants=network-online.target\n\n");
        u.append("[Service]\n");
        u.append("Type=simple\n");
        user.ifPresent(name -> u.append("User=").append(name).append('\n'));
        environment.forEach((k, v) -> u.append("Environment=").append(quote(k + "=" + v)).append('\n'));
        u.append("WorkingDirectory=").append(home.root()).append('\n');
        u.append("ExecStart=").append(String.join(" ", exec.stream().map(w -> quote(w).replace("$", "$$")).toList())).append('\n');
        u.append("ExecReload=/bin/kill -HUP $MAINPID\n");
        u.append("KillSignal=SIGTERM\n");
        u.append("KillMode=mixed\n");
        u.append("TimeoutStopSec=").append((stopTimeout.toMillis() + 999) / 1000).append('\n');
        u.append("Restart=on-failure\nRestartSec=2\n");
        u.append("LimitNOFILE=").append(NOFILE).append('\n');
        u.append("Delegate=yes\n\n");
        u.append("[Install]\nWantedBy=multi-user.target\n");
        return u.toString();
    }

    /**
     * {@code bin/control startup}: prints the unit, or with {@code install} writes it to
     * {@link #UNIT_FILE} and enables it ({@code systemctl daemon-reload}, {@code enable}).
     */
    public static int startup(Path root, HomeLayout home, Path conf, Path vhost, Optional<String> env, AppSelection only,
                              Optional<String> user, boolean install, PrintStream out, PrintStream err)
            throws IOException, InterruptedException {
        SystemdUnit unit;
        try {
            unit = of(root, home, conf, vhost, env, only, user, System.getenv());
        } catch (ConfigException e) {
            EcosystemReport.render(e).forEach(err::println);
            return ControlMain.FAILED;
        } catch (InvalidConfigException e) {
            e.problems().forEach(p -> err.println("error: " + p));
            return ControlMain.FAILED;
        }
        if (!install) {
            out.print(unit.render());
            return ControlMain.OK;
        }
        Files.writeString(UNIT_FILE, unit.render());
        out.println("wrote " + UNIT_FILE);
        for (List<String> cmd : List.of(List.of("systemctl", "daemon-reload"), List.of("systemctl", "enable", "corral.service"))) {
            Process p = new ProcessBuilder(cmd).inheritIO().start();
            if (p.waitFor() != 0) {
                err.println("bin/control startup: " + String.join(" ", cmd) + " exited with " + p.exitValue());
                return ControlMain.FAILED;
            }
        }
        out.println("corral.service enabled: start it with `systemctl start corral`, see it with `journalctl -u corral`");
        return ControlMain.OK;
    }

    // systemd splits on blanks, reads quotes and backslashes, and expands % specifiers (and $ in
    // ExecStart): quote what holds a blank or a quote, double every %
    private static String quote(String word) {
        String text = word.replace("%", "%%");
        if (text.matches("[A-Za-z0-9_@%+=:,./-]+")) {
            return text;
        }
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
