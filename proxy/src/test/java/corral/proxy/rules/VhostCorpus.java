package corral.proxy.rules;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A corpus of vhost files under a test resource folder, with the {@link EchoApps} they proxy to:
 * the set-up of the corpus tests ({@code RealWorldVhostTest}, {@code RealWorldCorpusTest}).
 * Register it on a static field, {@code @RegisterExtension static final VhostCorpus corpus = new
 * VhostCorpus("/rules/...")}; before all tests it skips the class when nginx is not installed and
 * starts the echoes, after all it ends them.
 */
final class VhostCorpus implements BeforeAllCallback, AfterAllCallback {

    private final String resource;
    private EchoApps echoes;

    VhostCorpus(String resource) {
        this.resource = resource;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        assumeTrue(NginxOracle.available(), "nginx is not installed at " + NginxOracle.BINARY);
        echoes = EchoApps.start();
    }

    @Override
    public void afterAll(ExtensionContext context) throws IOException {
        if (echoes != null) {
            echoes.close();
        }
    }

    /** The corpus folder. */
    Path path() throws URISyntaxException {
        return Path.of(VhostCorpus.class.getResource(resource).toURI());
    }

    /** The names of the corpus's {@code .conf} files, sorted: the tests' parameters. */
    Stream<String> files() throws IOException, URISyntaxException {
        return EchoApps.confFiles(path());
    }

    /** The running echo upstreams. */
    EchoApps echoes() {
        return echoes;
    }

    /**
     * The text of the corpus file {@code name} (ISO-8859-1, as nginx reads bytes) with each
     * {@code @KEY@} of {@code ports} replaced by its port, the apps' placeholders by their echoes'
     * ports and {@code @DIR@} by {@code dir}.
     */
    String read(String name, Map<String, Integer> ports, Path dir) throws IOException, URISyntaxException {
        String text = Files.readString(path().resolve(name), StandardCharsets.ISO_8859_1);
        for (Map.Entry<String, Integer> p : ports.entrySet()) {
            text = text.replace("@" + p.getKey() + "@", p.getValue().toString());
        }
        return echoes.fill(text).replace("@DIR@", dir.toString());
    }

    /** Writes {@code text} as {@code dir/name} (ISO-8859-1); returns that path. */
    static Path write(Path dir, String name, String text) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, text, StandardCharsets.ISO_8859_1);
        return file;
    }
}
