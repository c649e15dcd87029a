package corral.proxy.rules;

import corral.proxy.rules.LocationBlock.HeaderRule;
import corral.proxy.rules.LocationBlock.Kind;
import corral.proxy.rules.LocationBlock.ProxyTarget;
import corral.proxy.rules.ScriptOp.Flag;
import corral.proxy.rules.ServerBlock.Listen;
import corral.proxy.rules.TemplateParser.TemplateException;
import corral.proxy.rules.Variables.Variable;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.PatternSyntaxException;

/**
 * Checks directive trees against the subset and compiles them into {@link ServerBlock}s. Every
 * problem is recorded (file, line, directive, why) and compiling goes on, so that one load
 * reports all of them; the caller throws when any was found.
 */
final class RulesCompiler {

    static final String SUPPORTED = "server, listen, server_name, location, rewrite, return,"
            + " proxy_pass, proxy_set_header, include";

    /** Hints for nginx directives people are likely to bring along. */
    private static final Map<String, String> HINTS = Map.of(
            "upstream", "apps come from pm2.json: write proxy_pass http://<app name>",
            "if", "Corral has no \"if\"; a location or a rewrite regex can usually say the same",
            "set", "Corral has no \"set\"",
            "root", "Corral serves no files",
            "alias", "Corral serves no files",
            "index", "Corral serves no files",
            "try_files", "Corral serves no files");

    private enum Context { TOP, SERVER, LOCATION }

    private final Set<String> appNames;
    private final List<RuleProblem> problems;
    private final List<ServerBlock> servers = new ArrayList<>();
    private final List<HeaderRule> topHeaders = new ArrayList<>();
    /** Server-name regexes by their "~..." name, compiled once. */
    private final Map<String, NginxRegex> nameRegexes = new HashMap<>();
    /** Every named group of every regex: they are variables too. */
    private final Set<String> namedGroups = new HashSet<>();
    /** Variables that may be named groups, checked once every regex is known. */
    private final List<PendingVariable> pendingVariables = new ArrayList<>();

    private record PendingVariable(String name, Directive where) {
    }

    /** A server while it is compiled: its locations' headers wait for the top level's. */
    private record Draft(Directive server, List<Listen> listens, List<String> names,
                         List<ScriptOp> script, List<HeaderRule> headers,
                         List<LocationDraft> locations) {
    }

    private record LocationDraft(Kind kind, String name, NginxRegex regex, List<ScriptOp> script,
                                 ProxyTarget proxy, List<HeaderRule> headers, Directive where) {
    }

    private final List<Draft> drafts = new ArrayList<>();

    RulesCompiler(Set<String> appNames, List<RuleProblem> problems) {
        this.appNames = Set.copyOf(appNames);
        this.problems = problems;
    }

    /** Adds the top-level directives of one file (includes already spliced in). */
    void addTopLevel(List<Directive> directives) {
        for (Directive d : directives) {
            switch (d.name()) {
                case "server" -> {
                    if (expectBlock(d) && expectArgs(d, 0, 0)) {
                        server(d);
                    }
                }
                case "proxy_set_header" -> headerRule(d, topHeaders);
                default -> misplaced(d, Context.TOP);
            }
        }
    }

    /** Finishes compiling: the servers, or empty when problems were recorded. */
    List<ServerBlock> finish() {
        for (PendingVariable v : pendingVariables) {
            if (!namedGroups.contains(v.name())) {
                problem(v.where(), "unknown variable \"$" + v.name() + "\" (Corral knows: "
                        + Variables.known() + ")");
            }
        }
        for (Draft d : drafts) {
            servers.add(build(d));
        }
        return servers;
    }

    Map<String, NginxRegex> nameRegexes() {
        return nameRegexes;
    }

    // ---- server ----

    private void server(Directive d) {
        Draft draft = new Draft(d, new ArrayList<>(), new ArrayList<>(), new ArrayList<>(),
                new ArrayList<>(), new ArrayList<>());
        boolean hasHeaders = false;
        for (Directive c : d.block()) {
            switch (c.name()) {
                case "listen" -> listen(c, draft.listens());
                case "server_name" -> serverName(c, draft.names());
                case "location" -> location(c, draft.locations());
                case "rewrite" -> rewrite(c, draft.script());
                case "return" -> returnOp(c, draft.script());
                case "proxy_set_header" -> {
                    hasHeaders = true;
                    headerRule(c, draft.headers());
                }
                default -> misplaced(c, Context.SERVER);
            }
        }
        if (d.block().stream().noneMatch(c -> c.name().equals("listen"))) {
            problem(d, "server has no \"listen\" (nginx would listen on *:80 or *:8000"
                    + " depending on its privileges; Corral needs the port written)");
        }
        checkDuplicateLocations(draft.locations());
        drafts.add(hasHeaders ? draft : new Draft(d, draft.listens(), draft.names(),
                draft.script(), null, draft.locations()));
    }

    private ServerBlock build(Draft d) {
        List<HeaderRule> serverHeaders = d.headers() != null ? d.headers() : topHeaders;
        List<LocationBlock> locations = new ArrayList<>();
        for (LocationDraft l : d.locations()) {
            List<HeaderRule> headers = l.headers() != null ? l.headers() : serverHeaders;
            locations.add(new LocationBlock(l.kind(), l.name(), l.regex(), List.copyOf(l.script()),
                    l.proxy(), List.copyOf(headers), UriEscaper.escapePath(l.name()),
                    l.where().file(), l.where().line()));
        }
        return new ServerBlock(List.copyOf(d.listens()), List.copyOf(d.names()),
                primaryName(d.names()), List.copyOf(d.script()), new LocationMatcher(locations),
                d.server().file(), d.server().line());
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
        if (!expectNoBlock(d) || !expectArgs(d, 1, Integer.MAX_VALUE)) {
            return;
        }
        ListenAddress address = ListenParser.parse(d.arg(0));
        if (address == null) {
            problem(d, "invalid listen address \"" + d.arg(0) + "\" (expected port, address:port"
                    + " or [ipv6]:port)");
            return;
        }
        boolean isDefault = false;
        for (String param : d.args().subList(1, d.args().size())) {
            if (param.equals("default_server") || param.equals("default")) {
                isDefault = true;
            } else {
                problem(d, "listen parameter \"" + param + "\" is not supported by Corral"
                        + " (only default_server)");
            }
        }
        for (Listen other : listens) {
            if (other.address().equals(address)) {
                problem(d, "duplicate listen " + address);
                return;
            }
        }
        listens.add(new Listen(address, isDefault, d.line()));
    }

    private void serverName(Directive d, List<String> names) {
        if (!expectNoBlock(d) || !expectArgs(d, 1, Integer.MAX_VALUE)) {
            return;
        }
        for (String name : d.args()) {
            String checked = serverNameProblem(name);
            if (checked != null) {
                problem(d, checked);
                continue;
            }
            if (name.startsWith("~")) {
                compileNameRegex(d, name);
                names.add(name);
            } else {
                names.add(HostHeader.lowerAscii(name));
            }
        }
    }

    /** Why nginx would refuse the name, or null when it is fine. */
    private static String serverNameProblem(String name) {
        if (name.startsWith("~")) {
            return name.length() == 1 ? "empty regex in server name \"~\"" : null;
        }
        if (name.equalsIgnoreCase("$hostname")) {
            return "server_name $hostname is not supported by Corral; write the name";
        }
        boolean head = name.startsWith("*.") && name.length() >= 3;
        boolean tail = name.endsWith(".*") && name.length() >= 3;
        String stars = head ? name.substring(1) : tail ? name.substring(0, name.length() - 1) : name;
        if (stars.contains("*") || (name.startsWith(".") && name.length() < 2)
                || (head && tail)) {
            return "server name \"" + name + "\" is invalid (a wildcard is \"*.example.com\","
                    + " \".example.com\" or \"www.example.*\")";
        }
        return null;
    }

    private void compileNameRegex(Directive d, String name) {
        String pcre = name.substring(1);
        // nginx matches a regex name without case when it holds an upper-case letter
        boolean caseless = pcre.chars().anyMatch(c -> c >= 'A' && c <= 'Z');
        NginxRegex regex = regex(d, pcre, caseless);
        if (regex != null) {
            nameRegexes.putIfAbsent(name, regex);
        }
    }

    // ---- location ----

    private void location(Directive d, List<LocationDraft> into) {
        if (!expectBlock(d) || !expectArgs(d, 1, 2)) {
            return;
        }
        String modifier;
        String name;
        if (d.args().size() == 2) {
            modifier = d.arg(0);
            name = d.arg(1);
        } else {
            String arg = d.arg(0);
            modifier = arg.startsWith("~*") ? "~*" : arg.startsWith("^~") ? "^~"
                    : arg.startsWith("=") ? "=" : arg.startsWith("~") ? "~" : "";
            name = arg.substring(modifier.length());
        }
        if (name.startsWith("@") && modifier.isEmpty()) {
            problem(d, "named location \"" + name + "\" is not supported by Corral (nothing in"
                    + " its subset can jump to one)");
            return;
        }
        Kind kind;
        NginxRegex regex = null;
        switch (modifier) {
            case "=" -> kind = Kind.EXACT;
            case "^~" -> kind = Kind.PREFIX_NO_REGEX;
            case "" -> kind = Kind.PREFIX;
            case "~", "~*" -> {
                kind = Kind.REGEX;
                regex = regex(d, name, modifier.equals("~*"));
                if (regex == null) {
                    return;
                }
            }
            default -> {
                problem(d, "invalid location modifier \"" + modifier + "\" (expected =, ^~, ~"
                        + " or ~*)");
                return;
            }
        }
        locationBody(d, kind, name, regex, into);
    }

    private void locationBody(Directive d, Kind kind, String name, NginxRegex regex,
                              List<LocationDraft> into) {
        List<ScriptOp> script = new ArrayList<>();
        List<HeaderRule> headers = new ArrayList<>();
        boolean hasHeaders = false;
        ProxyTarget proxy = null;
        for (Directive c : d.block()) {
            switch (c.name()) {
                case "rewrite" -> rewrite(c, script);
                case "return" -> returnOp(c, script);
                case "proxy_set_header" -> {
                    hasHeaders = true;
                    headerRule(c, headers);
                }
                case "proxy_pass" -> {
                    if (proxy != null) {
                        problem(c, "\"proxy_pass\" directive is duplicate");
                    } else {
                        proxy = proxyPass(c, kind);
                    }
                }
                case "location" -> problem(c, "nested locations are not supported by Corral;"
                        + " write each location at server level");
                default -> misplaced(c, Context.LOCATION);
            }
        }
        into.add(new LocationDraft(kind, name, regex, script, proxy, hasHeaders ? headers : null,
                d));
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
                problem(l.where(), "duplicate location \"" + l.name() + "\" (first at line "
                        + first.where().line() + ")");
            }
        }
    }

    private ProxyTarget proxyPass(Directive d, Kind kind) {
        if (!expectNoBlock(d) || !expectArgs(d, 1, 1)) {
            return null;
        }
        String url = d.arg(0);
        String known = String.join(", ", new TreeSet<>(appNames));
        if (!url.startsWith("http://")) {
            problem(d, "proxy_pass \"" + url + "\" is not supported: Corral proxies to"
                    + " http://<app name>[/uri] (apps: " + known + ")");
            return null;
        }
        String rest = url.substring("http://".length());
        int slash = rest.indexOf('/');
        String app = slash < 0 ? rest : rest.substring(0, slash);
        String uri = slash < 0 ? "" : rest.substring(slash);
        if (url.contains("$")) {
            problem(d, "variables in proxy_pass are not supported by Corral");
            return null;
        }
        if (!appNames.contains(app)) {
            problem(d, "proxy_pass names app \"" + app + "\", which pm2.json does not define"
                    + " (apps: " + known + ")");
            return null;
        }
        if (kind == Kind.REGEX && !uri.isEmpty()) {
            problem(d, "\"proxy_pass\" cannot have URI part in location given by regular"
                    + " expression");
            return null;
        }
        return new ProxyTarget(app, uri);
    }

    // ---- rewrite module ----

    private void rewrite(Directive d, List<ScriptOp> script) {
        if (!expectNoBlock(d) || !expectArgs(d, 2, 3)) {
            return;
        }
        String replacement = d.arg(1);
        if (replacement.isEmpty()) {
            problem(d, "empty replacement");
            return;
        }
        Flag flag = Flag.NONE;
        int status = 0;
        if (replacement.startsWith("http://") || replacement.startsWith("https://")
                || replacement.startsWith("$scheme")) {
            flag = Flag.REDIRECT;
            status = 302;
        }
        if (d.args().size() == 3) {
            switch (d.arg(2)) {
                case "last" -> flag = flag == Flag.REDIRECT ? flag : Flag.LAST;
                case "break" -> flag = flag == Flag.REDIRECT ? flag : Flag.BREAK;
                case "redirect" -> {
                    flag = Flag.REDIRECT;
                    status = 302;
                }
                case "permanent" -> {
                    flag = Flag.REDIRECT;
                    status = 301;
                }
                default -> {
                    problem(d, "invalid rewrite flag \"" + d.arg(2) + "\" (expected last,"
                            + " break, redirect or permanent)");
                    return;
                }
            }
        }
        boolean addArgs = !replacement.endsWith("?");
        String source = addArgs ? replacement : replacement.substring(0, replacement.length() - 1);
        NginxRegex regex = regex(d, d.arg(0), false);
        Template target = template(d, source, flag != Flag.REDIRECT);
        if (regex != null && target != null) {
            script.add(new ScriptOp.Rewrite(regex, target, flag, status, addArgs, d.line()));
        }
    }

    private void returnOp(Directive d, List<ScriptOp> script) {
        if (!expectNoBlock(d) || !expectArgs(d, 1, 2)) {
            return;
        }
        String first = d.arg(0);
        int status;
        String text;
        if (first.matches("[0-9]{1,3}")) {
            status = Integer.parseInt(first);
            text = d.args().size() == 2 ? d.arg(1) : null;
        } else if (d.args().size() == 1 && (first.startsWith("http://")
                || first.startsWith("https://") || first.startsWith("$scheme"))) {
            status = 302;
            text = first;
        } else {
            problem(d, "invalid return code \"" + first + "\" (expected a code, code text,"
                    + " code URL, or URL)");
            return;
        }
        Template t = text == null ? null : template(d, text, false);
        if (text == null || t != null) {
            script.add(new ScriptOp.Return(status, t));
        }
    }

    private void headerRule(Directive d, List<HeaderRule> into) {
        if (!expectNoBlock(d) || !expectArgs(d, 2, 2)) {
            return;
        }
        Template value = template(d, d.arg(1), false);
        if (value != null) {
            into.add(new HeaderRule(d.arg(0), value));
        }
    }

    // ---- helpers ----

    private Template template(Directive d, String source, boolean splitArgs) {
        try {
            return TemplateParser.parse(source, splitArgs, name -> resolve(name, d));
        } catch (TemplateException e) {
            problem(d, e.getMessage());
            return null;
        }
    }

    /** A built-in variable, or else (checked at the end) a named group of some regex. */
    private Variable resolve(String name, Directive d) {
        Variable v = Variables.builtin(name);
        if (v != null) {
            return v;
        }
        pendingVariables.add(new PendingVariable(name, d));
        return ctx -> ctx.named(name);
    }

    private NginxRegex regex(Directive d, String pcre, boolean caseless) {
        try {
            NginxRegex regex = NginxRegex.compile(pcre, caseless);
            namedGroups.addAll(regex.names().keySet());
            return regex;
        } catch (PatternSyntaxException e) {
            problem(d, "invalid regex \"" + pcre + "\": " + e.getDescription()
                    + (e.getIndex() >= 0 ? " at offset " + e.getIndex() : ""));
            return null;
        }
    }

    private void misplaced(Directive d, Context where) {
        String allowedIn = switch (d.name()) {
            case "server" -> "at the top level of a vhost file";
            case "listen", "server_name", "location" -> "inside server";
            case "proxy_pass" -> "inside location";
            case "rewrite", "return" -> "inside server or location";
            default -> null;
        };
        if (allowedIn != null) {
            problem(d, "\"" + d.name() + "\" directive is not allowed here (only " + allowedIn
                    + ")");
            return;
        }
        String hint = HINTS.get(d.name());
        problem(d, "unknown directive \"" + d.name() + "\" (Corral supports: " + SUPPORTED + ")"
                + (hint == null ? "" : "; " + hint));
    }

    private boolean expectBlock(Directive d) {
        if (d.block() == null) {
            problem(d, "directive \"" + d.name() + "\" has no opening \"{\"");
            return false;
        }
        return true;
    }

    private boolean expectNoBlock(Directive d) {
        if (d.block() != null) {
            problem(d, "directive \"" + d.name() + "\" takes no block (is it missing its \";\"?)");
            return false;
        }
        return true;
    }

    private boolean expectArgs(Directive d, int min, int max) {
        int n = d.args().size();
        if (n < min || n > max) {
            problem(d, "invalid number of arguments in \"" + d.name() + "\" directive"
                    + DirectiveParser.missingSemicolonHint(d));
            return false;
        }
        return true;
    }

    private void problem(Directive d, String message) {
        problems.add(new RuleProblem(d.file(), d.line(), d.name(), message));
    }
}
