package corral.proxy.admin;

import com.fasterxml.jackson.databind.ObjectMapper;
import corral.proxy.strict.StrictFraming;
import corral.workers.config.AppSelection;
import io.undertow.Undertow;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.Methods;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The admin API: an Undertow listener on a loopback address, one handler that checks the token
 * and the peer, then maps {@code /v1/<command>} onto {@link DaemonControl}. Commands that change
 * state are POSTs; their responses stream progress lines and end with {@code ok: ...} or
 * {@code error: ...}, so a client learns the outcome even of a reload that takes minutes.
 */
public final class AdminServer implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger("corral.admin");
    private static final ObjectMapper JSON = AdminJson.MAPPER;

    private final Undertow server;
    private final int port;

    public AdminServer(int port, AdminToken token, DaemonControl daemon) {
        this.server = StrictFraming.configure(Undertow.builder())
                .addHttpListener(port, InetAddress.getLoopbackAddress().getHostAddress())
                .setIoThreads(1)
                .setWorkerThreads(8)
                .setHandler(new StrictFraming(new Guard(token, new Commands(daemon))))
                .build();
        server.start();
        this.port = ((InetSocketAddress) server.getListenerInfo().get(0).getAddress()).getPort();
    }

    public int port() {
        return port;
    }

    @Override
    public void close() {
        server.stop();
    }

    /** Refuses non-loopback peers and requests without the token: 401 and nothing done. */
    private record Guard(AdminToken token, HttpHandler next) implements HttpHandler {
        @Override
        public void handleRequest(HttpServerExchange exchange) throws Exception {
            InetAddress peer = exchange.getSourceAddress().getAddress();
            if (!peer.isLoopbackAddress()) {
                error(exchange, 403, "the admin API answers loopback clients only");
                return;
            }
            if (!token.matches(exchange.getRequestHeaders().getFirst(AdminToken.HEADER))) {
                error(exchange, 401, "missing or wrong admin token (header " + AdminToken.HEADER
                        + ", from run/token in the Corral home)");
                return;
            }
            next.handleRequest(exchange);
        }
    }

    /** Maps paths to daemon commands. */
    private record Commands(DaemonControl daemon) implements HttpHandler {
        @Override
        public void handleRequest(HttpServerExchange exchange) throws Exception {
            if (exchange.isInIoThread()) {
                exchange.dispatch(this);
                return;
            }
            String command = exchange.getRequestPath().replaceFirst("^/v1/", "");
            boolean post = exchange.getRequestMethod().equals(Methods.POST);
            try {
                switch (command) {
                    case "ping" -> json(exchange, 200, Map.of("pid", ProcessHandle.current().pid()));
                    case "status" -> json(exchange, 200, daemon.status());
                    case "metrics" -> json(exchange, 200, daemon.metrics());
                    default -> {
                        if (!post) {
                            error(exchange, 405, command + " needs POST");
                            return;
                        }
                        stream(exchange, command);
                    }
                }
            } catch (CommandException e) {
                error(exchange, e.status(), e.getMessage());
            }
        }

        /** A command bound to its parameters, run once the response has started streaming. */
        private interface Op {
            String run(Consumer<String> progress) throws Exception;
        }

        private void stream(HttpServerExchange exchange, String command) throws IOException {
            Map<String, Deque<String>> q = exchange.getQueryParameters();
            Optional<String> app = param(q, "app");
            // Bind and validate everything first: a bad request gets a JSON error and a 4xx.
            Op op = switch (command) {
                case "start" -> p -> daemon.start(app, p);
                case "stop" -> p -> daemon.stop(required(app, "app"), p);
                case "restart" -> p -> daemon.restart(required(app, "app"), p);
                case "reload" -> {
                    int parallel = number(q, "parallel", "1");
                    yield p -> daemon.reload(required(app, "app"), parallel, p);
                }
                case "delete" -> p -> daemon.delete(required(app, "app"), p);
                case "scale" -> {
                    int instances = number(q, "instances", null);
                    yield p -> daemon.scale(required(app, "app"), instances, p);
                }
                case "reload-conf" -> {
                    AppSelection only = selection(param(q, "only"));
                    yield p -> daemon.reloadConf(only, p);
                }
                case "offline" -> p -> app.isPresent() ? daemon.setAppOnline(app.get(), false) : daemon.setOnline(false);
                case "online" -> p -> app.isPresent() ? daemon.setAppOnline(app.get(), true) : daemon.setOnline(true);
                case "reopen-logs" -> p -> daemon.reopenLogs();
                case "kill" -> daemon::kill;
                default -> throw new CommandException(404, "unknown command '" + command + "'");
            };
            if (!command.equals("start") && !command.equals("reload-conf") && !command.equals("kill")
                    && !command.equals("offline") && !command.equals("online") && !command.equals("reopen-logs")) {
                daemon.checkApp(required(app, "app"));
            } else {
                app.ifPresent(daemon::checkApp);
            }
            exchange.startBlocking();
            exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "text/plain; charset=utf-8");
            OutputStream out = exchange.getOutputStream();
            try {
                writeLine(out, "ok: " + op.run(line -> writeLine(out, line)));
            } catch (Exception e) {
                String reason = e.getMessage() == null ? e.toString() : e.getMessage();
                LOG.log(System.Logger.Level.WARNING, command + " failed: " + reason);
                writeLine(out, "error: " + reason.replace("\n", "\n  "));
            }
            out.close();
        }

        private static int number(Map<String, Deque<String>> q, String name, String fallback) {
            String raw = param(q, name).orElse(fallback);
            if (raw == null) {
                throw new CommandException(400, "missing parameter '" + name + "'");
            }
            try {
                int n = Integer.parseInt(raw);
                if (n < 0) {
                    throw new NumberFormatException();
                }
                return n;
            } catch (NumberFormatException e) {
                throw new CommandException(400, name + ": '" + raw + "' is not a whole number >= 0");
            }
        }

        /** The {@code only} parameter: PM2's {@code --only} names, or every app when absent. */
        private static AppSelection selection(Optional<String> only) {
            try {
                return only.map(AppSelection::parse).orElse(AppSelection.ALL);
            } catch (IllegalArgumentException e) {
                throw new CommandException(400, e.getMessage());
            }
        }

        private static String required(Optional<String> value, String name) {
            return value.orElseThrow(() -> new CommandException(400, "missing parameter '" + name + "'"));
        }

        private static Optional<String> param(Map<String, Deque<String>> q, String name) {
            Deque<String> d = q.get(name);
            return d == null || d.isEmpty() ? Optional.empty() : Optional.of(d.getFirst());
        }
    }

    private static void writeLine(OutputStream out, String line) {
        // Progress comes from several threads (pool loops, the command's thread): one line at a time.
        synchronized (out) {
            writeLocked(out, line);
        }
    }

    private static void writeLocked(OutputStream out, String line) {
        try {
            out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
        } catch (IOException e) {
            // The client went away; the command still runs to its end.
        }
    }

    private static void json(HttpServerExchange exchange, int status, Object body) throws IOException {
        exchange.setStatusCode(status);
        exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, "application/json");
        exchange.getResponseSender().send(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(body));
    }

    private static void error(HttpServerExchange exchange, int status, String message) throws IOException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", message);
        body.put("status", status);
        json(exchange, status, body);
    }
}
