package corral.proxy.rules;

import java.nio.file.Path;
import java.util.List;

/**
 * One {@code location} block, compiled.
 *
 * @param kind        how its name matches
 * @param name        the prefix or exact URI, or the regex source
 * @param regex       the compiled regex for {@link Kind#REGEX}, else null
 * @param script      its {@code rewrite} and {@code return} directives, in order
 * @param proxy       its {@code proxy_pass}, or null (then nginx would serve files: 404)
 * @param headers     the {@code proxy_set_header}s in effect here: its own, or else the
 *                    server's, or else the top level's (nginx inherits a level's only when a
 *                    block defines none)
 * @param settings    its proxy settings, inherited from the server's and the top level's
 * @param response    its settings' response rules with nginx's {@code proxy_redirect default}
 *                    put in ({@link ResponseRules#forLocation})
 * @param escapedName the name as nginx writes it into its automatic redirect
 */
record LocationBlock(Kind kind, String name, NginxRegex regex, List<ScriptOp> script,
                     ProxyTarget proxy, List<HeaderRule> headers, ProxySettings settings,
                     ResponseRules response, String escapedName, Path file, int line) {

    enum Kind {
        /** {@code location = /x}. */
        EXACT,
        /** {@code location /x}. */
        PREFIX,
        /** {@code location ^~ /x}: when it is the longest prefix, regexes are not tried. */
        PREFIX_NO_REGEX,
        /** {@code location ~ re} and {@code location ~* re}. */
        REGEX,
        /**
         * {@code location @name}: never matched by a request, only reached by an internal
         * redirect to the name ({@link RouteEngine#namedLocation}).
         */
        NAMED
    }

    /**
     * nginx answers a request for this name without its final "/" with a 301 to the name, when
     * the location proxies ({@code auto_redirect}).
     */
    boolean autoRedirect() {
        return proxy != null && (kind == Kind.EXACT || kind == Kind.PREFIX || kind == Kind.PREFIX_NO_REGEX)
                && name.endsWith("/");
    }

    String where() {
        return file + ":" + line;
    }

    /**
     * {@code proxy_pass http://host[/uri]}: the app whose pool the host comes down to, the URI
     * part ("" when none), and the host as written: nginx's {@code $proxy_host}, and the Host
     * header it sends unless told otherwise.
     */
    record ProxyTarget(String app, String uri, String proxyHost) {
    }

    /** {@code proxy_set_header name value}. */
    record HeaderRule(String name, Template value) {
    }
}
