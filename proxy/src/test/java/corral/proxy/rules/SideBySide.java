package corral.proxy.rules;

import corral.fixtures.FreePorts;
import corral.fixtures.RawHttp;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.IntFunction;

/**
 * One vhost file run by real nginx and by Corral's listeners side by side, each on its own free
 * port, both forwarding each app to the same test upstream: the set-up of the differential
 * tests that compare real answers. {@link #close} ends both (nginx by pid).
 */
final class SideBySide implements AutoCloseable {

    final int nginxPort;
    final int corralPort;
    private NginxOracle nginx;
    private CorralListeners corral;
    private Path dir;
    private Map<String, List<Integer>> pools;
    private VhostConfig config;

    private SideBySide(int nginxPort, int corralPort) {
        this.nginxPort = nginxPort;
        this.corralPort = corralPort;
    }

    /**
     * Writes {@code vhost} (given the port to listen on) as {@code dir/nginx/NAME} and
     * {@code dir/corral/NAME}, and starts both on it, {@code app} going to {@code upstreamPort}.
     */
    static SideBySide start(Path dir, String name, String app, int upstreamPort, IntFunction<String> vhost)
            throws IOException, RulesException {
        return start(dir, name, Map.of(app, upstreamPort), vhost);
    }

    /** As {@link #start(Path, String, String, int, IntFunction)}, with several apps (name to port). */
    static SideBySide start(Path dir, String name, Map<String, Integer> apps, IntFunction<String> vhost)
            throws IOException, RulesException {
        Map<String, List<Integer>> pools = new HashMap<>();
        apps.forEach((app, port) -> pools.put(app, List.of(port)));
        return start(dir, name, pools, apps, vhost);
    }

    /**
     * Each app a pool of one instance per port; nginx gets no {@code upstream} of its own, so the
     * vhost writes its upstreams over the same ports.
     */
    static SideBySide startPools(Path dir, String name, Map<String, List<Integer>> pools, IntFunction<String> vhost)
            throws IOException, RulesException {
        return start(dir, name, pools, Map.of(), vhost);
    }

    private static SideBySide start(Path dir, String name, Map<String, List<Integer>> pools,
                                    Map<String, Integer> nginxUpstreams, IntFunction<String> vhost)
            throws IOException, RulesException {
        int[] ports = FreePorts.pick(2);
        SideBySide both = new SideBySide(ports[0], ports[1]);
        try {
            Path nginxDir = Files.createDirectories(dir.resolve("nginx"));
            Path corralDir = Files.createDirectories(dir.resolve("corral"));
            Files.writeString(nginxDir.resolve(name), vhost.apply(both.nginxPort));
            Files.writeString(corralDir.resolve(name), vhost.apply(both.corralPort));
            Map<Integer, String> byPort = new HashMap<>();
            pools.forEach((app, appPorts) -> appPorts.forEach(port -> byPort.put(port, app)));
            VhostConfig config = VhostLoader.load(corralDir, pools.keySet(), byPort);
            both.dir = dir;
            both.pools = pools;
            both.config = config;
            both.corral = new CorralListeners(pools, config);
            both.nginx = NginxOracle.start(nginxDir, nginxUpstreams, List.of(both.nginxPort));
        } catch (IOException | RulesException | RuntimeException e) {
            both.close();
            throw e;
        }
        return both;
    }

    /**
     * Rewrites {@code name} on both sides and reloads both: nginx by SIGHUP (its answer to the
     * new files comes once its new workers run, or never when it refuses them: the caller waits
     * for it), Corral as {@code reload-conf} does, keeping the running rules' limit zones.
     *
     * @return null when Corral applied the files, else its refusal (the old rules stay)
     */
    String reload(String name, IntFunction<String> vhost) throws IOException {
        Files.writeString(dir.resolve("nginx").resolve(name), vhost.apply(nginxPort));
        Files.writeString(dir.resolve("corral").resolve(name), vhost.apply(corralPort));
        nginx.reload();
        Map<Integer, String> byPort = new HashMap<>();
        pools.forEach((app, appPorts) -> appPorts.forEach(port -> byPort.put(port, app)));
        try {
            config = VhostLoader.load(dir.resolve("corral"), pools.keySet(), byPort, config.limitZones());
        } catch (RulesException e) {
            return e.getMessage();
        }
        corral.reload(config);
        return null;
    }

    /** Once nginx accepted a reload: waits until no worker of the old configuration is left. */
    void awaitNginxReloaded() {
        nginx.awaitOldWorkersGone();
    }

    /** nginx's error log so far. */
    String nginxLog() {
        return nginx.log();
    }

    /**
     * The status and the headers named in {@code compared} (lower case; each name's lines joined
     * with " | "), the listener's {@code port} written "PORT": what two answers are compared by.
     */
    static Map<String, String> seen(RawHttp.Response r, int port, Set<String> compared) {
        Map<String, String> seen = new TreeMap<>();
        seen.put("status", Integer.toString(r.status()));
        for (RawHttp.Header h : r.headers()) {
            String name = h.name().toLowerCase(Locale.ROOT);
            if (compared.contains(name)) {
                seen.merge(name, h.value().replace(":" + port, ":PORT"), (a, b) -> a + " | " + b);
            }
        }
        return seen;
    }

    /** A test resource's text, {@code @PORT@} not yet filled in. */
    static String resource(String path) throws IOException {
        try {
            return Files.readString(Path.of(SideBySide.class.getResource(path).toURI()));
        } catch (java.net.URISyntaxException e) {
            throw new IOException(e);
        }
    }

    @Override
    public void close() {
        if (nginx != null) {
            nginx.close();
        }
        if (corral != null) {
            corral.close();
        }
    }
}
