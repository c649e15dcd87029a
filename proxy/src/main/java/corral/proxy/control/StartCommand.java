package corral.proxy.control;

import corral.proxy.daemon.ConfigSet;
import corral.proxy.daemon.DaemonSettings;
import corral.proxy.daemon.InvalidConfigException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * {@code bin/control start}: starts the daemon when none runs for the home, then every app or the
 * named ones. {@code --only} (PM2's) makes a daemon it starts run only those apps of the file, also
 * across reload-conf; with a daemon running, it names apps to start as the arguments do.
 */
@Command(name = "start", customSynopsis = "start [app...] [--env NAME] [--conf FILE] [--vhost PATH] [--only APP[,APP...]]",
        description = "start the daemon if needed, then all apps (or the named ones); --only: the daemon runs only those apps of the file")
final class StartCommand extends Subcommand {

    @Parameters(arity = "0..*", paramLabel = "<app>", description = "app names, or all (the default)")
    List<String> apps = List.of();

    @Mixin
    ConfigOptions config;

    @Mixin
    OnlyOption only;

    @Override
    int run() throws Exception {
        ControlContext c = context();
        List<String> named = new ArrayList<>(apps);
        if (!c.admin.daemonAnswers()) {
            Path confFile = config.confFile(c.root);
            Path vhostPath = config.vhostPath(c.root);
            c.out.println("starting the Corral daemon (home " + c.home.root() + ", conf " + confFile + ")");
            warnOfFileLimit(c, confFile, vhostPath);
            String said = DaemonLauncher.launch(c.home, confFile, vhostPath, config.env, only.only, c.admin);
            if (!said.isEmpty()) {
                c.out.println(said);
            }
        } else {
            if (config.anyGiven()) {
                c.err.println("bin/control: a daemon already runs for " + c.home.root()
                        + "; --conf/--vhost/--env apply when it starts (use reload-conf to re-read the files)");
            }
            named.addAll(only.only.names()); // apps it runs; it names the ones it does not
        }
        if (named.isEmpty() || named.contains(ControlContext.ALL)) {
            return c.post("start", Map.of());
        }
        return c.postEach("start", named, Map.of());
    }

    /** The daemon inherits this process's open-file limit: say now if it is too low (a broken file is the daemon's to report). */
    private void warnOfFileLimit(ControlContext c, Path confFile, Path vhostPath) {
        try {
            CheckCommand.warnOfFileLimit(c, ConfigSet.load(confFile, vhostPath, config.env, only.only),
                    DaemonSettings.load(c.home, confFile, vhostPath, config.env, only.only));
        } catch (InvalidConfigException e) {
            // the daemon's start says what is wrong, file and line
        }
    }
}
