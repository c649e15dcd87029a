package corral.proxy.rules;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The echo upstreams of the apps {@code api}, {@code h5} and {@code nuomi} that the vhost corpora
 * ({@code rules/real-world}, {@code rules/public-vhosts}) proxy to, and what the files'
 * placeholders {@code @API@}, {@code @H5@}, {@code @NUOMI@} become.
 */
final class EchoApps implements AutoCloseable {

    /** The app names the corpora's upstreams are mapped to. */
    static final Set<String> NAMES = Set.of("nuomi", "h5", "api");

    private final List<EchoUpstream> echoes = new ArrayList<>();
    private final Map<String, Integer> ports = new LinkedHashMap<>();
    private final Map<Integer, String> apps = new LinkedHashMap<>();

    private EchoApps() {
    }

    static EchoApps start() throws IOException {
        EchoApps started = new EchoApps();
        for (String app : List.of("api", "h5", "nuomi")) {
            EchoUpstream echo = new EchoUpstream(app);
            started.echoes.add(echo);
            started.ports.put(app, echo.port());
            started.apps.put(echo.port(), app);
        }
        return started;
    }

    /** App name to its echo's port: nginx's upstreams. */
    Map<String, Integer> ports() {
        return ports;
    }

    /** Port to app name: Corral's reading of the same upstreams. */
    Map<Integer, String> apps() {
        return apps;
    }

    /** {@code text} with each app's placeholder replaced by its echo's port. */
    String fill(String text) {
        return text.replace("@NUOMI@", ports.get("nuomi").toString())
                .replace("@H5@", ports.get("h5").toString())
                .replace("@API@", ports.get("api").toString());
    }

    /** The names of the {@code .conf} files in {@code corpus}, sorted. */
    static Stream<String> confFiles(Path corpus) throws IOException {
        try (Stream<Path> files = Files.list(corpus)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".conf"))
                    .sorted().toList().stream();
        }
    }

    @Override
    public void close() throws IOException {
        for (EchoUpstream echo : echoes) {
            echo.close();
        }
    }
}
