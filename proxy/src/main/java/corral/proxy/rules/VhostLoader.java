package corral.proxy.rules;

import corral.proxy.rules.ServerBlock.Listen;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
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
     * @throws RulesException listing every problem found
     */
    public static VhostConfig load(Path fileOrDir, Set<String> appNames) throws RulesException {
        List<RuleProblem> problems = new ArrayList<>();
        DirectiveParser parser = new DirectiveParser(problems);
        RulesCompiler compiler = new RulesCompiler(appNames, problems);
        for (Path file : filesOf(fileOrDir, problems)) {
            compiler.addTopLevel(parser.parseFile(file));
        }
        List<ServerBlock> servers = compiler.finish();
        Map<Integer, ServerSelector> ports = new TreeMap<>();
        List<ListenAddress> addresses = new ArrayList<>();
        bindPorts(servers, compiler.nameRegexes(), ports, addresses, problems);
        if (!problems.isEmpty()) {
            throw new RulesException(inFileOrder(problems, parser.filesRead()));
        }
        return new VhostConfig(addresses, parser.filesRead(), new RouteEngine(ports));
    }

    /** Problems sorted by the order the files were read in, then by line. */
    private static List<RuleProblem> inFileOrder(List<RuleProblem> problems, List<Path> files) {
        Comparator<RuleProblem> byFile = Comparator.comparingInt(p -> {
            int i = files.indexOf(p.file());
            return i < 0 ? Integer.MAX_VALUE : i;
        });
        return problems.stream().sorted(byFile.thenComparingInt(RuleProblem::line)).toList();
    }

    private static List<Path> filesOf(Path fileOrDir, List<RuleProblem> problems) {
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
                problems.add(new RuleProblem(fileOrDir, 0, null, "no *.conf file in the directory"));
            }
            return files;
        } catch (IOException e) {
            problems.add(new RuleProblem(fileOrDir, 0, null, "cannot list the directory: " + e));
            return List.of();
        }
    }

    /**
     * Groups the servers by port and checks what nginx checks per listening socket: one default
     * server, no server name twice. Corral routes by port only, so a port's servers must all
     * use the same address.
     */
    private static void bindPorts(List<ServerBlock> servers, Map<String, NginxRegex> nameRegexes,
                                  Map<Integer, ServerSelector> ports,
                                  List<ListenAddress> addresses, List<RuleProblem> problems) {
        Map<Integer, List<ServerBlock>> byPort = new LinkedHashMap<>();
        Map<Integer, Listen> firstListen = new HashMap<>();
        Map<Integer, ServerBlock> defaults = new HashMap<>();
        for (ServerBlock s : servers) {
            for (Listen l : s.listens()) {
                int port = l.address().port();
                Listen first = firstListen.putIfAbsent(port, l);
                if (first != null && !Objects.equals(first.address().host(), l.address().host())) {
                    problems.add(new RuleProblem(s.file(), l.line(), "listen", "listen "
                            + l.address() + " and listen " + first.address()
                            + " share a port: Corral routes by port, so a port's servers must"
                            + " use one address"));
                    continue;
                }
                List<ServerBlock> onPort = byPort.computeIfAbsent(port, p -> new ArrayList<>());
                if (!onPort.contains(s)) {
                    onPort.add(s);
                }
                if (l.defaultServer()) {
                    ServerBlock other = defaults.putIfAbsent(port, s);
                    if (other != null && other != s) {
                        problems.add(new RuleProblem(s.file(), l.line(), "listen",
                                "a duplicate default server for port " + port + " (the other is"
                                        + " the server at " + other.where() + ")"));
                    }
                }
            }
        }
        byPort.forEach((port, onPort) -> {
            checkNames(port, onPort, problems);
            ServerBlock dflt = defaults.getOrDefault(port, onPort.get(0));
            ports.put(port, new ServerSelector(onPort, dflt, nameRegexes));
        });
        byPort.keySet().stream().sorted()
                .forEach(port -> addresses.add(firstListen.get(port).address()));
    }

    /** nginx warns and ignores a name that two servers of one port both claim; Corral refuses. */
    private static void checkNames(int port, List<ServerBlock> servers, List<RuleProblem> problems) {
        Map<String, ServerBlock> owners = new HashMap<>();
        for (ServerBlock s : servers) {
            for (String name : s.names()) {
                for (String key : nameKeys(name)) {
                    ServerBlock owner = owners.putIfAbsent(key, s);
                    if (owner != null && owner != s) {
                        problems.add(new RuleProblem(s.file(), s.line(), "server_name",
                                "conflicting server name \"" + name + "\" on port " + port
                                        + ": the server at " + owner.where() + " has it too"));
                    }
                }
            }
        }
    }

    /** The lookup keys a name takes: ".example.com" is both a wildcard and an exact name. */
    private static List<String> nameKeys(String name) {
        if (name.isEmpty()) {
            return List.of();
        }
        if (name.startsWith("~")) {
            return List.of(name);
        }
        if (name.startsWith("*.")) {
            return List.of("head " + name.substring(1));
        }
        if (name.startsWith(".")) {
            return List.of("head " + name, "exact " + name.substring(1));
        }
        if (name.endsWith(".*")) {
            return List.of("tail " + name);
        }
        return List.of("exact " + name);
    }
}
