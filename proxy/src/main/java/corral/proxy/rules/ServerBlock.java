package corral.proxy.rules;

import corral.proxy.tls.TlsServer;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * One {@code server} block, compiled.
 *
 * @param listens     its {@code listen} directives
 * @param names       its {@code server_name}s as written, in order
 * @param primaryName the first name ({@code $server_name}, {@code $host} without a Host
 *                    header): a regex name without its "~"; "" when there is none
 * @param script      the server-level {@code rewrite} and {@code return} directives, in order
 * @param matcher     its locations
 * @param settings    its proxy settings (inherited from the top level): those of a request
 *                    that no location takes
 * @param tls         its certificate and TLS settings (inherited from the top level); null
 *                    when no level names a certificate
 * @param http2       {@code http2 on} (nginx 1.25's form of {@code listen ... http2})
 * @param errorPages  its {@code error_page}s and their flags (inherited from the top level): those
 *                    of an error made before a location was found, or when none matched
 * @param file        where it starts
 * @param line        the line of its {@code server} directive
 */
record ServerBlock(List<Listen> listens, List<String> names, String primaryName,
                   List<ScriptOp> script, LocationMatcher matcher, ProxySettings settings,
                   TlsServer tls, boolean http2, ErrorPageRules errorPages, Path file, int line) {

    /** One {@code listen}: an address, whether it is this port's default server, TLS, h2. */
    record Listen(ListenAddress address, boolean defaultServer, boolean ssl, boolean http2, int line) {
    }

    /** The apps its locations proxy to, sorted: a rewrite stays in its server, so no other app is reached. */
    Set<String> apps() {
        Stream<LocationBlock.ProxyTarget> ifs = matcher.locations().stream()
                .flatMap(l -> l.script().stream()).filter(op -> op instanceof ScriptOp.If)
                .map(op -> ((ScriptOp.If) op).proxy());
        return Stream.concat(matcher.locations().stream().map(LocationBlock::proxy), ifs)
                .filter(Objects::nonNull).flatMap(LocationBlock.ProxyTarget::apps)
                .collect(Collectors.toCollection(TreeSet::new));
    }

    String where() {
        return file + ":" + line;
    }
}
