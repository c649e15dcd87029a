package corral.proxy.rules;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Loads the vhost rules: one file, or every {@code *.conf} of a directory in name order (as
 * nginx's {@code include conf/vhost/*.conf} would), checks all of it, and builds the
 * {@link VhostConfig}. Nothing outside the subset is ignored: it is a problem, reported with
 * its file and line, and every problem found is reported at once.
 */
public final class VhostLoader {

    private VhostLoader() {
    }

    /**
     * @param fileOrDir a vhost file, or a directory of {@code *.conf} files
     * @param appNames  the apps of pm2.json: the names {@code proxy_pass http://<app>} may use
     * @throws RulesException listing every problem found, in file order
     */
    public static VhostConfig load(Path fileOrDir, Set<String> appNames) throws RulesException {
        return load(fileOrDir, appNames, Map.of());
    }

    /**
     * As {@link #load(Path, Set)}; besides, no server may listen on an app's public port
     * ({@code appPorts}, port to app): Corral serves such a port with the app's pool.
     */
    public static VhostConfig load(Path fileOrDir, Set<String> appNames, Map<Integer, String> appPorts)
            throws RulesException {
        return load(fileOrDir, appNames, appPorts, LimitZones.NONE);
    }

    /**
     * As {@link #load(Path, Set, Map)}, for a {@code reload-conf}: the limit zones of the running
     * rules ({@code running}) that the new ones define with the same name, module and size keep
     * their states, as nginx keeps its shared zones across a reload; one whose key changed is
     * refused, as nginx refuses the reload.
     */
    public static VhostConfig load(Path fileOrDir, Set<String> appNames, Map<Integer, String> appPorts,
                                   LimitZones running) throws RulesException {
        Problems problems = new Problems();
        Path absolute = fileOrDir.toAbsolutePath();
        Path prefix = Files.isDirectory(absolute) || absolute.getParent() == null ? absolute : absolute.getParent();
        DirectiveParser parser = new DirectiveParser(problems, prefix);
        RulesCompiler compiler = new RulesCompiler(appNames, appPorts, problems, running, prefix);
        for (Path file : filesOf(fileOrDir, problems)) {
            compiler.addTopLevel(parser.parseFile(file));
        }
        List<ServerBlock> servers = compiler.finish();
        PortBinder binder = new PortBinder(problems, appPorts);
        Map<Integer, ServerSelector> ports = binder.bind(servers, compiler.nameRegexes());
        if (!problems.isEmpty()) {
            throw new RulesException(problems.inFileOrder(parser.filesRead()));
        }
        return new VhostConfig(binder.addresses(), parser.filesRead(),
                new RouteEngine(ports, compiler.logVariables(), compiler.fileDefaults()),
                problems.noticesInFileOrder(parser.filesRead()), binder.tlsPorts(), compiler.limitZones());
    }

    private static List<Path> filesOf(Path fileOrDir, Problems problems) {
        if (!Files.isDirectory(fileOrDir)) {
            return List.of(fileOrDir);
        }
        try (Stream<Path> entries = Files.list(fileOrDir)) {
            List<Path> files = entries
                    .filter(p -> p.getFileName().toString().endsWith(".conf"))
                    .filter(p -> !p.getFileName().toString().startsWith("."))
                    .filter(Files::isRegularFile)
                    .sorted(Comparator.comparing(p -> p.getFileName().toString()))
                    .toList();
            if (files.isEmpty()) {
                problems.add(fileOrDir, 0, null, "no *.conf file in the directory");
            }
            return files;
        } catch (IOException e) {
            problems.add(fileOrDir, 0, null, "cannot list the directory: " + e);
            return List.of();
        }
    }
}
