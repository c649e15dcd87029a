package corral.proxy.rules;

import corral.proxy.limit.RateZone;
import corral.proxy.rules.LocationBlock.HeaderRule;
import corral.proxy.rules.LocationBlock.Kind;
import corral.proxy.rules.LocationBlock.ProxyTarget;
import corral.proxy.rules.ServerBlock.Listen;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks the block structure of the directive trees against the subset (which directive may
 * stand where) and compiles them into {@link ServerBlock}s. Every problem is recorded and
 * compiling goes on, so that one load reports all of them.
 */
final class RulesCompiler {

    static final String SUPPORTED = "server, listen, server_name, location, rewrite, return,"
            + " set, break, if, map, proxy_pass, proxy_set_header, upstream, include, log_format, access_log,"
            + " stub_status, root, alias, index, try_files, types, and the proxy and client"
            + " settings of docs/vhost-rules.md";

    /**
     * listen parameters that tune the listening socket only (a name ending in "=" takes a value),
     * with what Corral does instead. nginx's answers do not depend on them, so neither do Corral's.
     */
    private static final Map<String, String> SOCKET_OPTIONS = Map.of(
            "deferred", "Corral accepts at once, and client.header.timeout.ms bounds a client that sends nothing",
            "backlog=", "the accept queue is the kernel's default (somaxconn)",
            "rcvbuf=", "socket buffers are the kernel's defaults",
            "sndbuf=", "socket buffers are the kernel's defaults",
            "fastopen=", "TCP Fast Open is the kernel's setting",
            "reuseport", "one daemon holds each port",
            "so_keepalive=", "TCP keep-alive probes are the kernel's setting",
            "bind", "Corral binds each listen address on its own",
            "ipv6only=", "an IPv6 listen address is bound as the JVM binds it");

    /** Hints for nginx directives people are likely to bring along. */
    private static final Map<String, String> HINTS = new HashMap<>();

    static {
        hint("Corral caches nothing", "proxy_cache", "proxy_cache_path");
    }

    private static void hint(String text, String... directives) {
        for (String directive : directives) {
            HINTS.put(directive, text);
        }
    }

    /** A location as written; its headers are resolved once the top level is known. */
    private record LocationDraft(Kind kind, String name, NginxRegex regex, List<ScriptOp> script,
                                 ProxyPass proxy, List<HeaderRule> headers,
                                 ProxyDirectives.Draft settings, boolean internal, Directive where) {
    }

    /** A {@code proxy_pass} as written; its host is resolved once every upstream is known. */
    private record ProxyPass(Directive where, String host, String uri) {

        /** The URL as written: what {@code proxy_redirect default} replaces. */
        String url() {
            return where.arg(0);
        }
    }

    /** A server as written; {@code headers} is null when it sets none (it inherits). */
    private record ServerDraft(Directive where, List<Listen> listens, List<String> names,
                               List<ScriptOp> script, List<HeaderRule> headers,
                               ProxyDirectives.Draft settings, List<LocationDraft> locations) {
    }

    private final Problems problems;
    private final ScriptCompiler scripts;
    private final Upstreams upstreams;
    private final ProxyDirectives proxyDirectives;
    private final TlsDirectives tls;
    private final MapDirectives maps;
    /** The {@code proxy_pass} of each location-level {@code if} that has one, resolved at the end. */
    private final Map<ScriptOp.If, ProxyPass> ifProxies = new IdentityHashMap<>();
    private final LimitDirectives limits;
    private final LogDirectives logs;
    private final ProxyDirectives.Draft topSettings = new ProxyDirectives.Draft();
    private final List<HeaderRule> topHeaders = new ArrayList<>();
    private final List<ServerDraft> drafts = new ArrayList<>();
    /** Server-name regexes by their "~..." name, compiled once. */
    private final Map<String, NginxRegex> nameRegexes = new HashMap<>();
    /** The http level's {@code types} and {@code default_type}, checked once all is read. */
    private final List<Directive> contentTypes = new ArrayList<>();

    /** nginx's compiled-in types, as a whole nginx.conf (with http) gets; Debian's for a vhost file. */
    private boolean wholeConf;
    private final FileDirectives files;

    /**
     * @param running the limit zones of the rules running now, which a reload keeps ({@link LimitZones})
     * @param prefix  nginx's prefix, which a relative root is read from (the configuration's directory)
     */
    RulesCompiler(Set<String> appNames, Map<Integer, String> appPorts, Problems problems, LimitZones running,
                  Path prefix) {
        this.problems = problems;
        this.scripts = new ScriptCompiler(problems);
        this.upstreams = new Upstreams(Set.copyOf(appNames), appPorts, problems);
        this.limits = new LimitDirectives(problems, scripts, RateZone.MONOTONIC, running);
        this.logs = new LogDirectives(problems, scripts);
        this.files = new FileDirectives(problems, scripts, prefix);
        this.proxyDirectives = new ProxyDirectives(problems, scripts, limits, logs, files);
        this.tls = new TlsDirectives(problems);
        this.maps = new MapDirectives(problems, scripts);
    }

    /**
     * Adds the top-level directives of one file: nginx's http block (includes spliced in), or
     * a whole nginx.conf, whose main-context directives Corral ignores with a notice.
     */
    void addTopLevel(List<Directive> directives) {
        addHttpLevel(directives, false);
    }

    private void addHttpLevel(List<Directive> directives, boolean inHttp) {
        for (Directive d : directives) {
            switch (d.name()) {
                case "server" -> {
                    if (problems.expectBlock(d) && problems.expectArgs(d, 0, 0)) {
                        server(d);
                    }
                }
                case "proxy_set_header" -> scripts.headerRule(d, topHeaders);
                case "upstream" -> upstreams.add(d);
                case "map" -> maps.map(d);
                case "log_format" -> logs.logFormat(d);
                case "http" -> {
                    if (inHttp) {
                        problems.add(d, "\"http\" directive is not allowed here (only once, at the"
                                + " top level)");
                    } else if (problems.expectBlock(d) && problems.expectArgs(d, 0, 0)) {
                        wholeConf = true;
                        addHttpLevel(d.block(), true);
                    }
                }
                case "limit_req_zone", "limit_conn_zone" -> limits.zone(d);
                default -> {
                    if ((inHttp || !MainContext.notice(d, problems)) && !tls.compile(d, null)) {
                        setting(d, topSettings);
                    }
                }
            }
        }
    }

    /** The compiled servers, in file order; valid only when no problem was recorded. */
    List<ServerBlock> finish() {
        scripts.checkVariables();
        limits.checkZones();
        checkContentTypes();
        return drafts.stream().map(this::build).toList();
    }

    /**
     * {@code types} and {@code default_type} type files, and in nginx also a {@code return}'s
     * answer, which Corral sends as text/plain: refused when a {@code return} answers with a
     * body (unless they say text/plain), else applied to files.
     */
    private void checkContentTypes() {
        Directive typed = scripts.typedReturn();
        for (Directive d : contentTypes) {
            boolean plain = d.name().equals("default_type") && d.args().equals(List.of("text/plain"))
                    && d.block() == null;
            if (typed != null && !plain) {
                problems.add(d, "\"" + d.name() + "\" would change the Content-Type nginx gives the"
                        + " return at " + typed.file() + ":" + typed.line() + ", which Corral sends"
                        + " as text/plain: not supported yet (remove it, or write default_type"
                        + " text/plain and no types)");
            }
        }
    }

    /** The limit zones defined, for the next reload-conf to keep ({@link LimitZones}). */
    LimitZones limitZones() {
        return limits.zones();
    }

    /** The variables of the rules' own that the access logs read ({@link LogDirectives#ownVariables}). */
    Map<String, Variables.Variable> logVariables() {
        return logs.ownVariables();
    }

    /** The file settings that apply where no level sets them (see {@link FileDirectives#defaults}). */
    FileSettings fileDefaults() {
        return files.defaults(wholeConf);
    }

    Map<String, NginxRegex> nameRegexes() {
        return nameRegexes;
    }

    // ---- server ----

    private void server(Directive d) {
        ServerDraft s = new ServerDraft(d, new ArrayList<>(), new ArrayList<>(),
                new ArrayList<>(), new ArrayList<>(), new ProxyDirectives.Draft(), new ArrayList<>());
        for (Directive c : d.block()) {
            switch (c.name()) {
                case "listen" -> listen(c, s.listens());
                case "server_name" -> serverName(c, s.names());
                case "location" -> location(c, s.locations());
                case "rewrite" -> scripts.rewrite(c, s.script());
                case "return" -> scripts.returnOp(c, s.script());
                case "set" -> scripts.set(c, s.script());
                case "break" -> scripts.breakOp(c, s.script());
                case "if" -> ifBlock(c, s.script(), false);
                case "proxy_set_header" -> scripts.headerRule(c, s.headers());
                case "stub_status" -> logs.stubStatus(c, s.settings());
                case "try_files" -> files.tryFiles(c, s.settings().files); // for what no location takes
                default -> {
                    if (!tls.compile(c, d)) {
                        setting(c, s.settings());
                    }
                }
            }
        }
        if (d.block().stream().noneMatch(c -> c.name().equals("listen"))) {
            problems.add(d, "server has no \"listen\" (nginx would listen on *:80 or *:8000"
                    + " depending on its privileges; Corral needs the port written)");
        }
        checkDuplicateLocations(s.locations());
        boolean setsHeaders = d.block().stream().anyMatch(c -> c.name().equals("proxy_set_header"));
        drafts.add(setsHeaders ? s : new ServerDraft(d, s.listens(), s.names(), s.script(), null,
                s.settings(), s.locations()));
    }

    /** nginx inherits a level's proxy_set_header only into blocks that set none. */
    private ServerBlock build(ServerDraft s) {
        List<HeaderRule> serverHeaders = s.headers() != null ? s.headers() : topHeaders;
        ProxySettings serverSettings = topSettings.build().under(s.settings().build());
        ErrorPageRules serverPages = topSettings.errorPages.build().under(s.settings().errorPages.build());
        List<LocationBlock> locations = new ArrayList<>();
        for (LocationDraft l : s.locations()) {
            List<HeaderRule> headers = l.headers() != null ? l.headers() : serverHeaders;
            ProxyTarget proxy = l.proxy() == null ? null
                    : upstreams.resolve(l.proxy().where(), l.proxy().host(), l.proxy().uri());
            ProxySettings settings = serverSettings.under(l.settings().build());
            ResponseRules response = l.proxy() == null ? settings.response().forLocation(null, "", "")
                    : settings.response().forLocation(l.proxy().url(), l.proxy().uri(), l.name());
            locations.add(new LocationBlock(l.kind(), l.name(), l.regex(), withIfProxies(l.script()),
                    proxy, List.copyOf(headers), settings, response, UriEscaper.escapePath(l.name()),
                    serverPages.under(l.settings().errorPages.build()), l.internal(), l.where().file(),
                    l.where().line()));
        }
        return new ServerBlock(List.copyOf(s.listens()), List.copyOf(s.names()),
                primaryName(s.names()), List.copyOf(s.script()), new LocationMatcher(locations),
                serverSettings, tls.build(s.where()), tls.http2(s.where()), serverPages, s.where().file(),
                s.where().line());
    }

    /** nginx's {@code $server_name}: the first name, a leading "." dropped; "" for none. */
    private static String primaryName(List<String> names) {
        if (names.isEmpty()) {
            return "";
        }
        String first = names.get(0);
        return first.startsWith(".") ? first.substring(1) : first;
    }

    private void listen(Directive d, List<Listen> listens) {
        if (!problems.expectNoBlock(d) || !problems.expectArgs(d, 1, Integer.MAX_VALUE)) {
            return;
        }
        ListenAddress address = ListenParser.parse(d.arg(0));
        if (address == null) {
            problems.add(d, "invalid listen address \"" + d.arg(0) + "\" (expected port,"
                    + " address:port or [ipv6]:port)");
            return;
        }
        boolean isDefault = false;
        boolean ssl = false;
        boolean http2 = false;
        for (String param : d.args().subList(1, d.args().size())) {
            switch (param) {
                case "default_server", "default" -> isDefault = true;
                case "ssl" -> ssl = true;
                case "http2" -> http2 = true;
                default -> {
                    String socketOption = SOCKET_OPTIONS.get(param.replaceFirst("=.*", "="));
                    if (socketOption != null) {
                        problems.notice(d, "listen parameter \"" + param + "\" is accepted, not applied: "
                                + socketOption + "; it changes no answer");
                    } else {
                        problems.add(d, "listen parameter \"" + param + "\" is not supported by Corral"
                                + " (only default_server, ssl and http2; socket options such as deferred,"
                                + " backlog= or reuseport are accepted with a notice)");
                    }
                }
            }
        }
        if (listens.stream().anyMatch(l -> l.address().equals(address))) {
            problems.add(d, "duplicate listen " + address);
            return;
        }
        listens.add(new Listen(address, isDefault, ssl, http2, d.line()));
    }

    private void serverName(Directive d, List<String> names) {
        if (!problems.expectNoBlock(d) || !problems.expectArgs(d, 1, Integer.MAX_VALUE)) {
            return;
        }
        for (String name : d.args()) {
            String invalid = ServerNames.problem(name);
            if (invalid != null) {
                problems.add(d, invalid);
            } else if (name.startsWith("~")) {
                String pcre = name.substring(1);
                NginxRegex regex = scripts.regex(d, pcre, ServerNames.caseless(pcre));
                if (regex != null) {
                    nameRegexes.putIfAbsent(name, regex);
                    names.add(name);
                }
            } else {
                names.add(HostHeader.lowerAscii(name));
            }
        }
    }

    // ---- location ----

    private void location(Directive d, List<LocationDraft> into) {
        if (!problems.expectBlock(d) || !problems.expectArgs(d, 1, 2)) {
            return;
        }
        String modifier;
        String name;
        if (d.args().size() == 2) {
            modifier = d.arg(0);
            name = d.arg(1);
        } else {
            // nginx also reads the modifier glued to the name: "=/x", "~*\.png$"
            String arg = d.arg(0);
            modifier = arg.startsWith("~*") ? "~*" : arg.startsWith("^~") ? "^~"
                    : arg.startsWith("=") ? "=" : arg.startsWith("~") ? "~" : "";
            name = arg.substring(modifier.length());
        }
        Kind kind = switch (modifier) {
            case "=" -> Kind.EXACT;
            case "^~" -> Kind.PREFIX_NO_REGEX;
            case "" -> name.startsWith("@") ? Kind.NAMED : Kind.PREFIX;
            case "~", "~*" -> Kind.REGEX;
            default -> null;
        };
        if (kind == null) {
            problems.add(d, "invalid location modifier \"" + modifier + "\" (expected =, ^~, ~"
                    + " or ~*)");
            return;
        }
        NginxRegex regex = kind == Kind.REGEX ? scripts.regex(d, name, modifier.equals("~*"))
                : null;
        if (kind != Kind.REGEX || regex != null) {
            locationBody(d, kind, name, regex, into);
        }
    }

    private void locationBody(Directive d, Kind kind, String name, NginxRegex regex,
                              List<LocationDraft> into) {
        List<ScriptOp> script = new ArrayList<>();
        List<HeaderRule> headers = new ArrayList<>();
        ProxyDirectives.Draft settings = new ProxyDirectives.Draft();
        ProxyPass proxy = null;
        boolean internal = false;
        for (Directive c : d.block()) {
            switch (c.name()) {
                case "internal" -> {
                    if (problems.expectNoBlock(c) && problems.expectArgs(c, 0, 0)) {
                        internal = true;
                    }
                }
                case "rewrite" -> scripts.rewrite(c, script);
                case "return" -> scripts.returnOp(c, script);
                case "set" -> scripts.set(c, script);
                case "break" -> scripts.breakOp(c, script);
                case "if" -> ifBlock(c, script, true);
                case "proxy_set_header" -> scripts.headerRule(c, headers);
                case "stub_status" -> logs.stubStatus(c, settings);
                case "proxy_pass" -> {
                    if (proxy != null) {
                        problems.add(c, "\"proxy_pass\" directive is duplicate");
                    } else {
                        proxy = proxyPass(c, kind);
                        settings.response.afterProxyPass = true;
                    }
                }
                case "location" -> problems.add(c, "nested locations are not supported by"
                        + " Corral; write each location at server level");
                case "alias" -> {
                    if (name.startsWith("@")) {
                        problems.add(c, "the \"alias\" directive cannot be used inside the named location");
                    } else {
                        files.root(c, settings.files, kind, name);
                    }
                }
                case "try_files" -> files.tryFiles(c, settings.files);
                default -> setting(c, settings);
            }
        }
        boolean setsHeaders = d.block().stream().anyMatch(c -> c.name().equals("proxy_set_header"));
        into.add(new LocationDraft(kind, name, regex, script, proxy, setsHeaders ? headers : null,
                settings, internal, d));
    }

    private void checkDuplicateLocations(List<LocationDraft> locations) {
        Map<String, LocationDraft> seen = new HashMap<>();
        for (LocationDraft l : locations) {
            if (l.kind() == Kind.REGEX) {
                continue;
            }
            String key = (l.kind() == Kind.EXACT ? "=" : "") + l.name();
            LocationDraft first = seen.putIfAbsent(key, l);
            if (first != null) {
                problems.add(l.where(), "duplicate location \"" + l.name() + "\" (first at line "
                        + first.where().line() + ")");
            }
        }
    }

    /**
     * {@code proxy_pass http://host[/uri]}: the host is resolved to an app once every upstream
     * is known ({@link Upstreams#resolve}).
     */
    private ProxyPass proxyPass(Directive d, Kind kind) {
        if (!problems.expectNoBlock(d) || !problems.expectArgs(d, 1, 1)) {
            return null;
        }
        String url = d.arg(0);
        if (!url.startsWith("http://")) {
            problems.add(d, "proxy_pass \"" + url + "\" is not supported: Corral proxies to"
                    + " http://<upstream, app name or 127.0.0.1:app port>[/uri]");
            return null;
        }
        if (url.contains("$")) {
            problems.add(d, "variables in proxy_pass are not supported by Corral");
            return null;
        }
        String rest = url.substring("http://".length());
        int slash = rest.indexOf('/');
        String host = slash < 0 ? rest : rest.substring(0, slash);
        String uri = slash < 0 ? "" : rest.substring(slash);
        if ((kind == Kind.REGEX || kind == Kind.NAMED) && !uri.isEmpty()) {
            problems.add(d, "\"proxy_pass\" cannot have URI part in location given by regular"
                    + " expression, or inside named location (nginx refuses it too)");
            return null;
        }
        return new ProxyPass(d, host, uri);
    }

    /** A directive of {@link ProxyDirectives}, else one that has no place here. */
    private void setting(Directive d, ProxyDirectives.Draft into) {
        if (d.name().equals("types") || d.name().equals("default_type")) {
            contentTypes.add(d);
        }
        if (!proxyDirectives.compile(d, into)) {
            misplaced(d);
        }
    }

    private void misplaced(Directive d) {
        String allowedIn = switch (d.name()) {
            case "server", "upstream", "limit_req_zone", "limit_conn_zone", "log_format" ->
                    "at the top level of a vhost file";
            case "stub_status" -> "inside server or location";
            case "listen", "server_name", "location" -> "inside server";
            case "proxy_pass", "internal", "alias" -> "inside location";
            case "try_files" -> "inside server or location";
            case "rewrite", "return", "set", "break", "if" -> "inside server or location";
            case "map" -> "at the top level of a vhost file, or in http";
            case "include" -> "with a file name and a \";\", anywhere";
            default -> TlsDirectives.isTls(d.name()) ? "at the top level or inside server" : null;
        };
        if (allowedIn != null) {
            problems.add(d, "\"" + d.name() + "\" directive is not allowed here (only "
                    + allowedIn + ")");
            return;
        }
        String hint = HINTS.get(d.name());
        problems.add(d, "unknown directive \"" + d.name() + "\" (Corral supports: " + SUPPORTED
                + ")" + (hint == null ? "" : "; " + hint));
    }

    // ---- if ----

    /**
     * {@code if (condition) { ... }}: the condition, then its directives inlined after it (as
     * nginx compiles them into the parent's script). Inside, nginx's rewrite directives; in a
     * location, {@code proxy_pass} too. Anything else is refused with the reason.
     */
    private void ifBlock(Directive d, List<ScriptOp> script, boolean inLocation) {
        if (!problems.expectBlock(d)) {
            return;
        }
        IfCondition condition = scripts.condition(d);
        List<ScriptOp> body = new ArrayList<>();
        ProxyPass proxy = null;
        for (Directive c : d.block()) {
            switch (c.name()) {
                case "rewrite" -> scripts.rewrite(c, body);
                case "return" -> scripts.returnOp(c, body);
                case "set" -> scripts.set(c, body);
                case "break" -> scripts.breakOp(c, body);
                case "proxy_pass" -> {
                    if (!inLocation) {
                        notInIf(c, false);
                    } else if (proxy != null) {
                        problems.add(c, "\"proxy_pass\" directive is duplicate");
                    } else {
                        proxy = ifProxyPass(c);
                    }
                }
                default -> notInIf(c, inLocation);
            }
        }
        if (condition != null) {
            ScriptOp.If op = new ScriptOp.If(condition, body.size(), inLocation, null, d.line());
            script.add(op);
            script.addAll(body);
            if (proxy != null) {
                ifProxies.put(op, proxy);
            }
        }
    }

    private ProxyPass ifProxyPass(Directive c) {
        ProxyPass proxy = proxyPass(c, Kind.PREFIX);
        if (proxy != null && !proxy.uri().isEmpty()) {
            problems.add(c, "\"proxy_pass\" cannot have URI part inside \"if\" statement (nginx"
                    + " refuses it too): write proxy_pass http://" + proxy.host() + ";");
            return null;
        }
        return proxy;
    }

    /** Directives nginx takes inside a location's {@code if} that Corral does not. */
    private static final Set<String> NGINX_IF_ONLY = Set.of("add_header", "add_trailer",
            "expires", "access_log", "gzip", "limit_rate", "limit_rate_after", "root",
            "error_page", "rewrite_log", "uninitialized_variable_warn", "fastcgi_pass",
            "uwsgi_pass", "scgi_pass", "grpc_pass", "memcached_pass");

    private void notInIf(Directive c, boolean inLocation) {
        String takes = "inside \"if\" Corral takes rewrite, return, set and break"
                + (inLocation ? ", and proxy_pass" : "");
        if (c.name().equals("if")) {
            problems.add(c, "\"if\" directive is not allowed here: nginx allows no \"if\" inside"
                    + " an \"if\" (combine the conditions with a map)");
        } else if (inLocation && NGINX_IF_ONLY.contains(c.name())) {
            problems.add(c, "\"" + c.name() + "\" inside \"if\" is not supported by Corral (" + takes
                    + "): move it out of the if, or pick a location by the condition instead");
        } else {
            problems.add(c, "\"" + c.name() + "\" directive is not allowed inside \"if\" here"
                    + " (nginx refuses it too; " + takes + ")");
        }
    }

    /** A location's script with the {@code proxy_pass} of each of its {@code if}s resolved. */
    private List<ScriptOp> withIfProxies(List<ScriptOp> script) {
        return script.stream().map(op -> {
            ProxyPass p = op instanceof ScriptOp.If f ? ifProxies.get(f) : null;
            return p == null ? op : ((ScriptOp.If) op).withProxy(
                    upstreams.resolve(p.where(), p.host(), p.uri()));
        }).toList();
    }
}
