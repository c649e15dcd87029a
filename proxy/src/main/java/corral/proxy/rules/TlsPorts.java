package corral.proxy.rules;

import corral.proxy.rules.ServerBlock.Listen;
import corral.proxy.tls.TlsPort;
import corral.proxy.tls.TlsServer;

import java.util.ArrayList;
import java.util.List;

/**
 * The TLS side of one port, checked as nginx checks it at load: a port is TLS when any
 * {@code listen} of it says {@code ssl} (nginx ORs the parameters of one socket), and its
 * default server must have a certificate. The other servers' certificates are picked by SNI as
 * nginx's servername callback does; a server without one is answered with the default's.
 */
final class TlsPorts {

    private TlsPorts() {
    }

    /** The port's TLS, or null for plain HTTP (then a problem or notice is recorded if needed). */
    static TlsPort of(int port, List<ServerBlock> servers, ServerBlock dflt, ServerSelector selector,
                      Problems problems) {
        Listen ssl = listen(port, servers, true);
        Listen http2 = listen(port, servers, false);
        if (ssl == null) {
            if (http2 != null) {
                ServerBlock s = owner(port, servers, http2);
                problems.add(s.file(), http2.line(), "listen", "listen " + http2.address() + " http2"
                        + " without ssl: nginx 1.22 then speaks only HTTP/2 with prior knowledge on"
                        + " the port, which Corral does not; add ssl, or drop http2");
            }
            servers.stream().filter(ServerBlock::http2).findFirst().ifPresent(s -> problems.notice(
                    s.file(), s.line(), "http2", "\"http2 on\" on plain port " + port + " is accepted,"
                    + " not applied: Corral offers HTTP/2 by ALPN on TLS ports only; HTTP/1.x"
                    + " requests are answered the same"));
            return null;
        }
        if (dflt.tls() == null) {
            problems.add(dflt.file(), listenLine(dflt, port), "listen",
                    "no \"ssl_certificate\" is defined for the \"listen ... ssl\" directive in "
                    + dflt.where() + " (port " + port + "'s default server)");
            return null;
        }
        if (dflt.tls().material() == null) {
            return null; // its files were refused, with their line
        }
        List<TlsServer> certified = new ArrayList<>();
        for (ServerBlock s : servers) {
            if (s.tls() == null || s.tls().material() == null) {
                continue;
            }
            if (!s.tls().negotiatesAs(dflt.tls())) {
                problems.add(s.file(), s.line(), "server", "ssl_protocols, ssl_ciphers,"
                        + " ssl_prefer_server_ciphers and ssl_session_timeout differ between this"
                        + " server and port " + port + "'s default server (" + dflt.where() + "):"
                        + " which apply then depends on OpenSSL's handshake order; Corral takes one"
                        + " set per port (write them once, at the http level)");
            }
            certified.add(s.tls());
        }
        boolean h2 = http2 != null || servers.stream().anyMatch(ServerBlock::http2);
        TlsServer fallback = dflt.tls();
        return new TlsPort(port, h2, fallback, List.copyOf(certified), sni -> {
            String name = HostHeader.validate(sni);
            TlsServer picked = name == null ? null : selector.select(name, null).tls();
            return picked != null ? picked : fallback;
        });
    }

    /** The first listen of the port with ssl ({@code ssl} true) or http2. */
    private static Listen listen(int port, List<ServerBlock> servers, boolean ssl) {
        return servers.stream().flatMap(s -> s.listens().stream())
                .filter(l -> l.address().port() == port && (ssl ? l.ssl() : l.http2()))
                .findFirst().orElse(null);
    }

    private static ServerBlock owner(int port, List<ServerBlock> servers, Listen listen) {
        return servers.stream().filter(s -> s.listens().contains(listen)).findFirst().orElse(null);
    }

    private static int listenLine(ServerBlock s, int port) {
        return s.listens().stream().filter(l -> l.address().port() == port).map(Listen::line)
                .findFirst().orElse(s.line());
    }
}
