package corral.proxy.rules;

import corral.proxy.accesslog.AccessLogTarget;
import corral.proxy.accesslog.LogValues;
import corral.proxy.rules.RouteRequest.Header;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * What a request's access-log line needs from the rules once they have run: the
 * {@code access_log}s in effect where the request ended (its location's, else its server's), and
 * its request variables as they stand after the rewrites ({@code $uri} is the rewritten one), with
 * nginx's "not found" (null) for a header, cookie or argument the request did not have.
 */
public final class RequestLog {

    private final RouteRequest request;
    private final RequestContext ctx;
    private final List<AccessLogTarget> targets;
    private final Map<String, Variables.Variable> own;
    /** nginx had a URI and a server: its request variables have values. */
    private final boolean parsed;

    /**
     * @param own    the maps, set variables and named captures the logs read (null: not found)
     * @param parsed false for a request refused before nginx had a server and a URI, whose
     *               request variables are then not found ({@code ctx} is a bare one)
     */
    RequestLog(RouteRequest request, RequestContext ctx, List<AccessLogTarget> targets,
               Map<String, Variables.Variable> own, boolean parsed) {
        this.request = request;
        this.ctx = ctx;
        this.targets = targets;
        this.own = own;
        this.parsed = parsed;
    }

    /**
     * The answer is sent: maps read from now on see its variables ({@code map $status ...}),
     * as nginx computes a map the first time it is read, here by the log.
     */
    public void answered(LogValues answer) {
        if (ctx != null) {
            ctx.answer = answer;
        }
    }

    /** The request's {@code access_log}s: empty for {@code off}, null when none is configured (Corral's own log). */
    public List<AccessLogTarget> targets() {
        return targets;
    }

    /** Whether a log_format may name this variable (the listeners add the response's). */
    static boolean knows(String name) {
        return name.equals("remote_user") || Variables.builtin(name) != null;
    }

    /**
     * A request variable's value, or null when nginx would write it as not found (also for one
     * that needs a server and a URI, when nginx refused the request before it had them: a 400).
     */
    public String variable(String name) {
        if (name.startsWith("http_")) {
            return header(name.substring(5));
        }
        switch (name) {
            case "remote_addr":
                return request.remoteAddr();
            case "remote_user":
                return remoteUser();
            case "request":
                return request.method() + " " + request.rawUri() + " " + request.protocol();
            case "request_method":
                return ctx != null ? ctx.method : request.method();
            case "server_protocol":
                return request.protocol();
            case "server_port":
                return String.valueOf(request.listenPort());
            case "scheme":
                return request.scheme();
            default:
                break;
        }
        if (ctx == null || ctx.server == null) {
            return null;
        }
        Variables.Variable v = Variables.builtin(name);
        if (v == null) {
            Variables.Variable mine = own.get(name);
            return mine == null ? null : mine.value(ctx);
        }
        if (!parsed) {
            return null;
        }
        String value = v.value(ctx);
        boolean mayBeMissing = name.startsWith("cookie_") || name.startsWith("arg_")
                || (ctx.noArgs && (name.equals("args") || name.equals("query_string")));
        return mayBeMissing && value.isEmpty() ? null : value;
    }

    /** {@code $http_NAME}: as {@link Variables#header}, but null when no such header came. */
    private String header(String varName) {
        if (varName.equals("host")) {
            return request.host();
        }
        for (Header h : request.headers()) {
            String lower = HostHeader.lowerAscii(h.name()).replace('-', '_');
            if (lower.equals(varName) && h.name().chars().allMatch(c -> Character.isLetterOrDigit(c) || c == '-')) {
                if (ctx != null) {
                    return Variables.header(ctx, varName);
                }
                return h.value();
            }
        }
        return null;
    }

    /** {@code $remote_user}: the user of {@code Authorization: Basic}, else not found. */
    private String remoteUser() {
        for (Header h : request.headers()) {
            if (h.name().equalsIgnoreCase("Authorization") && h.value().regionMatches(true, 0, "Basic ", 0, 6)) {
                try {
                    String decoded = new String(Base64.getDecoder().decode(h.value().substring(6).trim()),
                            StandardCharsets.ISO_8859_1);
                    int colon = decoded.indexOf(':');
                    return colon < 0 ? null : decoded.substring(0, colon);
                } catch (IllegalArgumentException e) {
                    return null;
                }
            }
        }
        return null;
    }
}
