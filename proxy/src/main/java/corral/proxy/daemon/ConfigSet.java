package corral.proxy.daemon;

import corral.proxy.listen.ConnectionBudget;
import corral.proxy.listen.PortRole;
import corral.proxy.rules.LimitZones;
import corral.proxy.rules.RulesException;
import corral.proxy.rules.VhostConfig;
import corral.proxy.rules.VhostLoader;
import corral.workers.config.AppConfig;
import corral.workers.config.AppSelection;
import corral.workers.config.ConfigException;
import corral.workers.config.Ecosystem;
import corral.workers.config.EcosystemLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Everything the daemon runs from, loaded and validated together: the ecosystem file and the
 * vhost rules (whose {@code proxy_pass} must name its apps). Immutable; a reload loads a new one
 * and swaps it in whole.
 */
public record ConfigSet(Ecosystem ecosystem, Optional<VhostConfig> vhost) {

    /**
     * Loads both, collecting every error into one {@link InvalidConfigException}. The vhost rules
     * are checked once pm2.json loads (they name its apps), as {@code bin/control check} does;
     * {@code only} selects the apps of the file ({@code --only}).
     */
    public static ConfigSet load(Path conf, Path vhostPath, Optional<String> envName, AppSelection only)
            throws InvalidConfigException {
        return load(conf, vhostPath, envName, only, LimitZones.NONE);
    }

    /**
     * As {@link #load(Path, Path, Optional, AppSelection)}, for {@code reload-conf}: the limit
     * zones of the running rules that the new ones keep ({@link VhostLoader#load(Path, Set, Map, LimitZones)}).
     */
    public static ConfigSet load(Path conf, Path vhostPath, Optional<String> envName, AppSelection only,
                                 LimitZones running) throws InvalidConfigException {
        List<String> errors = new ArrayList<>();
        Ecosystem eco = null;
        try {
            eco = EcosystemLoader.load(conf, envName, only, Runtime.getRuntime().availableProcessors());
        } catch (ConfigException e) {
            e.errors().forEach(p -> errors.add(p.message()));
        }
        Optional<VhostConfig> vhost = Optional.empty();
        // The rules are checked against the apps; without them every proxy_pass would look wrong.
        if (eco != null && hasRules(vhostPath)) {
            Set<String> apps = eco.apps().stream().map(AppConfig::name).collect(Collectors.toSet());
            try {
                VhostConfig loaded = VhostLoader.load(vhostPath, apps, publicPorts(eco), running);
                vhost = loaded.listenPorts().isEmpty() ? Optional.empty() : Optional.of(loaded);
            } catch (RulesException e) {
                errors.add(e.getMessage());
            }
        }
        if (!errors.isEmpty()) {
            throw new InvalidConfigException(errors);
        }
        return new ConfigSet(eco, vhost);
    }

    /**
     * This set with the apps {@code only} selects as {@code conf} has them now, in place of the
     * running ones of the same names (or added), the other apps and the rules kept: what {@code
     * reload-conf --only} applies. A public port that would then serve two apps is an error.
     */
    public ConfigSet withAppsOf(Path conf, Optional<String> envName, AppSelection only) throws InvalidConfigException {
        Ecosystem fresh;
        try {
            fresh = EcosystemLoader.load(conf, envName, only, Runtime.getRuntime().availableProcessors());
        } catch (ConfigException e) {
            throw new InvalidConfigException(e.errors().stream().map(p -> p.message()).toList());
        }
        Map<String, AppConfig> apps = new LinkedHashMap<>();
        ecosystem.apps().forEach(app -> apps.put(app.name(), app));
        fresh.apps().forEach(app -> apps.put(app.name(), app));
        List<String> errors = new ArrayList<>();
        Map<Integer, String> ports = new HashMap<>();
        vhost.ifPresent(rules -> rules.listenPorts().forEach(port -> ports.put(port, "the vhost rules")));
        for (AppConfig app : apps.values()) {
            app.publicPort().ifPresent(port -> {
                String other = ports.putIfAbsent(port, "app '" + app.name() + "'");
                if (other != null) {
                    errors.add(conf + ": app '" + app.name() + "': public port " + port + " is the port of " + other
                            + " as it runs now: reload-conf without --only (or naming both) applies them together");
                }
            });
        }
        if (!errors.isEmpty()) {
            throw new InvalidConfigException(errors);
        }
        return new ConfigSet(new Ecosystem(ecosystem.file(), List.copyOf(apps.values()), fresh.warnings()), vhost);
    }

    /** A vhost file, or a directory with at least one {@code *.conf}: an empty directory means no vhost listener. */
    public static boolean hasRules(Path vhostPath) {
        if (Files.isDirectory(vhostPath)) {
            try (var confs = Files.newDirectoryStream(vhostPath, "*.conf")) {
                return confs.iterator().hasNext();
            } catch (java.io.IOException e) {
                return true; // let the loader report what is wrong with it
            }
        }
        return Files.exists(vhostPath);
    }

    /** Each port that takes traffic and what it serves: the apps' public ports, then the vhost listen ports. */
    public Map<Integer, PortRole> portRoles() {
        Map<Integer, PortRole> roles = new LinkedHashMap<>();
        for (AppConfig app : ecosystem.apps()) {
            app.publicPort().ifPresent(p -> roles.put(p, new PortRole.App(app.name())));
        }
        vhost.ifPresent(v -> v.listenAddresses().forEach(a ->
                roles.putIfAbsent(a.port(), new PortRole.Vhost(Optional.ofNullable(a.host()), v.tls(a.port())))));
        return roles;
    }

    /**
     * The connections each listener may hold under the open-file limit {@code fdLimit}, with
     * {@code openNow} descriptors already open ({@code configured}: client.max.connections, 0 for
     * auto); its shortfall says when the limit is below what this configuration wants.
     */
    public ConnectionBudget connectionBudget(int configured, long fdLimit, long openNow) {
        int instances = ecosystem.apps().stream().mapToInt(AppConfig::instances).sum();
        return ConnectionBudget.of(configured, fdLimit, openNow, instances, portRoles().size());
    }

    /** The apps' public ports ({@code PORT}), port to app name: the vhost rules may not listen there. */
    public static Map<Integer, String> publicPorts(Ecosystem ecosystem) {
        Map<Integer, String> ports = new HashMap<>();
        ecosystem.apps().forEach(app -> app.publicPort().ifPresent(port -> ports.put(port, app.name())));
        return ports;
    }

    /** The warnings of the ecosystem file, then the notices of the vhost rules, one line each. */
    public List<String> warnings() {
        List<String> lines = new ArrayList<>();
        ecosystem.warnings().forEach(p -> lines.add("warning: " + p.message()));
        vhost.ifPresent(rules -> rules.notices().forEach(n -> lines.add("notice: " + n)));
        return lines;
    }
}
