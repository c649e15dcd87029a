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
import corral.workers.proc.ProcFs;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code bin/control check}: validates the configuration as the daemon would load it, like {@code nginx -t}; no daemon needed. */
@Command(name = "check", customSynopsis = "check [--conf FILE] [--vhost PATH] [--env NAME] [--only APP[,APP...]]",
        description = "validate the configuration, like nginx -t")
final class CheckCommand extends Subcommand {

    @Mixin
    ConfigOptions config;

    @Mixin
    OnlyOption only;

    @Override
    int run() {
        ControlContext c = context();
        Path confFile = config.confFile(c.root);
        Path vhostPath = config.vhostPath(c.root);
        Optional<String> env = config.env;
        Ecosystem eco;
        try {
            eco = EcosystemLoader.load(confFile, env, only.only, Runtime.getRuntime().availableProcessors());
        } catch (ConfigException e) {
            EcosystemReport.render(e).forEach(c.err::println);
            return ControlMain.FAILED;
        }
        DaemonSettings settings;
        try {
            settings = DaemonSettings.load(c.home, confFile, vhostPath, env, only.only);
        } catch (InvalidConfigException e) {
            e.problems().forEach(p -> c.err.println("error: " + p));
            return ControlMain.FAILED;
        }
        List<String> report = new ArrayList<>(EcosystemReport.render(eco));
        report.remove(report.size() - 1); // the "OK" line comes after the rules
        report.forEach(c.out::println);
        c.out.println(Cgroups.probe(c.home, System.getenv()).summary());
        if (!ConfigSet.hasRules(vhostPath)) {
            c.out.println("vhost: no rules at " + vhostPath + ": no vhost listener");
            warnOfFileLimit(c, new ConfigSet(eco, Optional.empty()), settings);
            c.out.println("OK");
            return ControlMain.OK;
        }
        try {
            VhostConfig rules = VhostLoader.load(vhostPath, eco.apps().stream().map(AppConfig::name).collect(Collectors.toSet()),
                    ConfigSet.publicPorts(eco));
            rules.notices().forEach(n -> c.out.println("notice: " + n));
            c.out.println("vhost: " + rules.files().size() + " file(s) from " + vhostPath + ", listen " + rules.listenPorts());
            warnOfFileLimit(c, new ConfigSet(eco, Optional.of(rules)), settings);
            c.out.println("OK");
            return ControlMain.OK;
        } catch (RulesException e) {
            e.problems().forEach(p -> c.err.println("error: " + p));
            c.err.println(vhostPath + ": check failed, " + e.problems().size() + " error(s)");
            return ControlMain.FAILED;
        }
    }

    /**
     * As the daemon says at start, when the open-file limit a daemon started from here would
     * inherit (this process's) is lower than the configuration wants; a warning, not a failure.
     */
    static void warnOfFileLimit(ControlContext c, ConfigSet config, DaemonSettings settings) {
        config.connectionBudget(settings.client().maxConnections(), ProcFs.openFilesLimit().orElse(Integer.MAX_VALUE),
                ProcFs.openFiles()).shortfall().ifPresent(why -> c.out.println("warning: " + why));
    }
}
