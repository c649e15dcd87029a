package corral.proxy.rules;

import corral.proxy.rules.RouteRequest.Header;

import java.util.Map;
import java.util.StringJoiner;

/**
 * The nginx variables the subset knows, each computed from a {@link RequestContext} as nginx
 * computes it. A variable nginx would report as "not found" is "".
 */
final class Variables {

    /** A variable's value in one request. */
    @FunctionalInterface
    interface Variable {
        String value(RequestContext ctx);
    }

    private static final Map<String, Variable> BUILTIN = Map.ofEntries(
            Map.entry("uri", ctx -> ctx.uri),
            Map.entry("document_uri", ctx -> ctx.uri),
            Map.entry("request_uri", ctx -> ctx.target.unparsed()),
            Map.entry("args", ctx -> ctx.args),
            Map.entry("query_string", ctx -> ctx.args),
            Map.entry("is_args", ctx -> ctx.args.isEmpty() ? "" : "?"),
            Map.entry("host", Variables::host),
            Map.entry("scheme", ctx -> ctx.request.scheme()),
            Map.entry("https", ctx -> ctx.request.scheme().equalsIgnoreCase("https") ? "on" : ""),
            Map.entry("binary_remote_addr", Variables::binaryRemoteAddr),
            Map.entry("request_id", RequestContext::requestId),
            Map.entry("remote_addr", ctx -> ctx.request.remoteAddr()),
            Map.entry("server_addr", ctx -> ctx.request.localAddr()),
            Map.entry("server_port", ctx -> String.valueOf(ctx.request.listenPort())),
            Map.entry("server_name", ctx -> ctx.server.primaryName()),
            Map.entry("server_protocol", ctx -> ctx.request.protocol()),
            Map.entry("request_method", ctx -> ctx.method),
            Map.entry("request", ctx -> ctx.request.method() + " " + ctx.request.rawUri() + " "
                    + ctx.request.protocol()),
            Map.entry("content_type", ctx -> header(ctx, "content_type")),
            Map.entry("content_length", ctx -> header(ctx, "content_length")),
            Map.entry("proxy_host", ctx -> ctx.proxyTarget() != null
                    ? ctx.proxyTarget().proxyHost() : ""),
            Map.entry("proxy_add_x_forwarded_for", Variables::proxyAddXForwardedFor));

    private Variables() {
    }

    /** Names Corral knows, for messages. */
    static String known() {
        return "$1..$9, " + String.join(", ", BUILTIN.keySet().stream().sorted()
                .map(n -> "$" + n).toList()) + ", $arg_NAME, $cookie_NAME, $http_NAME, named captures";
    }

    /**
     * The built-in variable of that (lower-cased) name, or null when it is not one: the caller
     * then checks the named captures.
     */
    static Variable builtin(String name) {
        Variable v = BUILTIN.get(name);
        if (v != null) {
            return v;
        }
        if (name.equals("request_filename") || name.equals("document_root")) {
            return name.equals("request_filename") ? StaticContent::requestFilename : StaticContent::documentRoot;
        }
        if (name.startsWith("arg_")) {
            String arg = name.substring(4);
            return ctx -> argument(ctx.args, arg);
        }
        if (name.startsWith("cookie_")) {
            String cookie = name.substring(7);
            return ctx -> cookie(ctx, cookie);
        }
        if (name.startsWith("http_")) {
            String header = name.substring(5);
            return ctx -> header(ctx, header);
        }
        return null;
    }

    /** {@code $host}: the Host header's name, else the server's first name. */
    private static String host(RequestContext ctx) {
        return ctx.hostName.isEmpty() ? ctx.server.primaryName() : ctx.hostName;
    }

    /**
     * {@code $arg_NAME}: the raw value of the first {@code NAME=} (name compared without case)
     * at the start of the query or after a {@code &}.
     */
    static String argument(String args, String name) {
        if (name.isEmpty()) {
            return "";
        }
        int from = 0;
        while (from + name.length() < args.length()) {
            int at = indexOfIgnoreCase(args, name, from);
            if (at < 0 || at + name.length() >= args.length()) {
                return "";
            }
            if ((at == 0 || args.charAt(at - 1) == '&') && args.charAt(at + name.length()) == '=') {
                int end = args.indexOf('&', at);
                return args.substring(at + name.length() + 1, end < 0 ? args.length() : end);
            }
            from = at + 1;
        }
        return "";
    }

    private static int indexOfIgnoreCase(String s, String what, int from) {
        for (int i = from; i + what.length() <= s.length(); i++) {
            if (s.regionMatches(true, i, what, 0, what.length())) {
                return i;
            }
        }
        return -1;
    }

    /**
     * {@code $http_NAME}: the first header of that name ("-" written "_", any case); Cookie and
     * X-Forwarded-For join all of theirs, as nginx 1.22 does. Headers whose names nginx drops
     * as invalid (an "_" or another byte outside letters, digits and "-") never match.
     */
    static String header(RequestContext ctx, String varName) {
        if (varName.equals("host")) {
            return ctx.request.host() == null ? "" : ctx.request.host();
        }
        String joiner = switch (varName) {
            case "cookie" -> "; ";
            case "x_forwarded_for" -> ", ";
            default -> null;
        };
        StringJoiner all = new StringJoiner(joiner == null ? "" : joiner);
        boolean found = false;
        for (Header h : ctx.request.headers()) {
            if (validName(h.name()) && varName.equals(asVariableName(h.name()))) {
                if (joiner == null) {
                    return h.value();
                }
                all.add(h.value());
                found = true;
            }
        }
        return found ? all.toString() : "";
    }

    /**
     * {@code $cookie_NAME}, as nginx 1.22's {@code ngx_http_parse_multi_header_lines}: over
     * every Cookie header in order, the first pair whose name matches without case, blanks
     * allowed around "="; the value runs to the next ";" (trailing blanks kept: "a = 1 ;"
     * gives "1 "). Pairs are separated by ";" or ",".
     */
    static String cookie(RequestContext ctx, String name) {
        for (Header h : ctx.request.headers()) {
            if (!h.name().equalsIgnoreCase("Cookie")) {
                continue;
            }
            String v = h.value();
            int start = 0;
            int end = v.length();
            while (start < end) {
                if (v.regionMatches(true, start, name, 0, name.length())) {
                    int at = start + name.length();
                    while (at < end && v.charAt(at) == ' ') {
                        at++;
                    }
                    if (at < end && v.charAt(at) == '=') {
                        at++;
                        while (at < end && v.charAt(at) == ' ') {
                            at++;
                        }
                        int last = v.indexOf(';', at);
                        return v.substring(at, last < 0 ? end : last);
                    }
                    start = at;
                }
                while (start < end) {
                    char c = v.charAt(start++);
                    if (c == ';' || c == ',') {
                        break;
                    }
                }
                while (start < end && v.charAt(start) == ' ') {
                    start++;
                }
            }
        }
        return "";
    }

    /** {@code $binary_remote_addr}: the client's IPv4 (4 bytes) or IPv6 (16) address as bytes. */
    private static String binaryRemoteAddr(RequestContext ctx) {
        try {
            byte[] raw = java.net.InetAddress.getByName(ctx.request.remoteAddr()).getAddress();
            return new String(raw, java.nio.charset.StandardCharsets.ISO_8859_1);
        } catch (java.net.UnknownHostException e) {
            return "";
        }
    }

    /** {@code $proxy_add_x_forwarded_for}: the client's X-Forwarded-For, then its address. */
    private static String proxyAddXForwardedFor(RequestContext ctx) {
        StringBuilder out = new StringBuilder();
        for (Header h : ctx.request.headers()) {
            if (h.name().equalsIgnoreCase("X-Forwarded-For")) {
                out.append(h.value()).append(", ");
            }
        }
        return out.append(ctx.request.remoteAddr()).toString();
    }

    private static boolean validName(String name) {
        if (name.isEmpty()) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
                    || (c >= '0' && c <= '9') || c == '-';
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    private static String asVariableName(String headerName) {
        return HostHeader.lowerAscii(headerName).replace('-', '_');
    }
}
