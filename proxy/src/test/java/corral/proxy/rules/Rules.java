package corral.proxy.rules;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

/** Test helpers: write a vhost file, load it, route a request. */
final class Rules {

    static final Set<String> APPS = Set.of("nuomi", "h5", "api");

    private Rules() {
    }

    static Path write(Path dir, String name, String text) {
        try {
            Path file = dir.resolve(name);
            Files.createDirectories(file.getParent());
            Files.writeString(file, text, StandardCharsets.ISO_8859_1);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Loads {@code text} as {@code dir/test.conf}; fails the test on problems. */
    static VhostConfig load(Path dir, String text) {
        return load(dir, text, Map.of());
    }

    /** As {@link #load(Path, String)}, with the apps' public ports (port to app). */
    static VhostConfig load(Path dir, String text, Map<Integer, String> appPorts) {
        try {
            return VhostLoader.load(write(dir, "test.conf", text), APPS, appPorts);
        } catch (RulesException e) {
            throw new AssertionError("rules did not load:\n" + e.getMessage(), e);
        }
    }

    /** Loads {@code text} as {@code dir/test.conf}, expecting problems. */
    static RulesException problems(Path dir, String text) {
        return problems(dir, text, Map.of());
    }

    /** As {@link #problems(Path, String)}, with the apps' public ports. */
    static RulesException problems(Path dir, String text, Map<Integer, String> appPorts) {
        try {
            VhostLoader.load(write(dir, "test.conf", text), APPS, appPorts);
            throw new AssertionError("rules loaded, problems were expected");
        } catch (RulesException e) {
            return e;
        }
    }

    /** A server on port 8080 with {@code body} inside. */
    static String server(String body) {
        return "server {\n    listen 8080;\n    server_name example.test;\n" + body + "\n}\n";
    }

    /**
     * The decision as a value, without the edits of its answer: those are bound to the request
     * (its variables) and are compared on real answers by ResponseDifferentialTest.
     */
    static RouteDecision get(VhostConfig config, String host, String target) {
        return strip(config.route(RouteRequest.of(8080, "GET", host, target)));
    }

    /** The decision as a value, without the edits of its answer. */
    static RouteDecision strip(RouteDecision d) {
        if (d instanceof RouteDecision.Proxy p) {
            return new RouteDecision.Proxy(p.app(), p.uri(), p.headers(), p.proxyHost(), p.settings(),
                    ResponseEdits.NONE, p.limits());
        }
        if (d instanceof RouteDecision.Redirect r) {
            return new RouteDecision.Redirect(r.status(), r.location());
        }
        if (d instanceof RouteDecision.Respond r) {
            return new RouteDecision.Respond(r.status(), r.body(), r.contentType());
        }
        return d;
    }

    static RouteDecision get(VhostConfig config, String target) {
        return get(config, "example.test", target);
    }
}
