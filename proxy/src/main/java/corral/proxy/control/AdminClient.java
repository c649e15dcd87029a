package corral.proxy.control;

import corral.proxy.admin.AdminEndpoint;
import corral.proxy.admin.AdminJson;
import corral.proxy.admin.AdminToken;
import corral.workers.home.HomeLayout;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/** Talks to the admin API of the daemon of one home, found through {@code run/admin.json}. */
final class AdminClient {

    /** How a streamed command ended. */
    record Outcome(boolean ok, String summary) { }

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final HomeLayout home;

    AdminClient(HomeLayout home) {
        this.home = home;
    }

    /** True when a daemon of this home answers its admin API. */
    boolean daemonAnswers() {
        try {
            return get("ping").statusCode() == 200;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** The pid of the daemon, from its endpoint file. */
    long daemonPid() throws IOException {
        return endpoint().pid();
    }

    HttpResponse<String> get(String command) throws IOException {
        AdminEndpoint endpoint = endpoint();
        HttpRequest request = HttpRequest.newBuilder(uri(endpoint, command, Map.of()))
                .header(AdminToken.HEADER, token().value())
                .timeout(Duration.ofSeconds(10))
                .GET().build();
        return send(request, HttpResponse.BodyHandlers.ofString());
    }

    /** POSTs a command and passes each progress line to {@code progress} as it arrives. */
    Outcome post(String command, Map<String, String> params, Consumer<String> progress) throws IOException {
        AdminEndpoint endpoint = endpoint();
        HttpRequest request = HttpRequest.newBuilder(uri(endpoint, command, params))
                .header(AdminToken.HEADER, token().value())
                .POST(HttpRequest.BodyPublishers.noBody()).build();
        HttpResponse<java.io.InputStream> response = send(request, HttpResponse.BodyHandlers.ofInputStream());
        try (BufferedReader in = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            if (response.statusCode() != 200) {
                String body = in.lines().collect(Collectors.joining("\n"));
                return new Outcome(false, errorText(body));
            }
            String line;
            StringBuilder last = null;
            while ((line = in.readLine()) != null) {
                if (line.startsWith("ok: ")) {
                    return new Outcome(true, line.substring(4));
                }
                if (line.startsWith("error: ")) {
                    last = new StringBuilder(line.substring(7));
                } else if (last != null) {
                    last.append('\n').append(line);
                } else {
                    progress.accept(line);
                }
            }
            return last != null
                    ? new Outcome(false, last.toString())
                    : new Outcome(false, "the daemon closed the connection before it said how " + command + " ended");
        }
    }

    private <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler) throws IOException {
        try {
            return http.send(request, handler);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    private AdminEndpoint endpoint() throws IOException {
        Optional<AdminEndpoint> e = AdminEndpoint.read(home.runDir().resolve("admin.json"));
        return e.orElseThrow(() -> new IOException("no Corral daemon runs for home " + home.root()
                + " (start one with: bin/control start)"));
    }

    private AdminToken token() throws IOException {
        return AdminToken.read(home.runDir().resolve("token"));
    }

    private static URI uri(AdminEndpoint endpoint, String command, Map<String, String> params) {
        String query = params.entrySet().stream()
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        return URI.create("http://127.0.0.1:" + endpoint.port() + "/v1/" + command + (query.isEmpty() ? "" : "?" + query));
    }

    /** The message of a JSON error body, or the body itself. */
    static String errorText(String body) {
        int i = body.indexOf("\"error\"");
        if (i < 0) {
            return body.trim();
        }
        try {
            return AdminJson.MAPPER.readTree(body).path("error").asText(body);
        } catch (IOException e) {
            return body.trim();
        }
    }
}
