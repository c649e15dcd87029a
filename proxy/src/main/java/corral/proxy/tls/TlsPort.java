package corral.proxy.tls;

import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;

/**
 * One TLS port of the vhost rules: its servers' certificates (the one to send picked by SNI,
 * with nginx's server-name lookup, else the default server's) and the negotiation settings its
 * servers share.
 *
 * @param port          the port
 * @param http2         {@code listen ... http2} (or {@code http2 on}): offer h2 by ALPN
 * @param defaultServer the default server's TLS: its settings apply to every handshake
 * @param servers       every server of the port that has a certificate, the default included
 * @param bySni         the TLS of the server nginx picks for an SNI name (valid, lower-cased);
 *                      a server without certificate gives the default's
 */
public record TlsPort(int port, boolean http2, TlsServer defaultServer, List<TlsServer> servers,
                      Function<String, TlsServer> bySni) {

    /** A new JDK context holding every certificate of the port, picked by SNI. */
    SSLContext newContext() throws GeneralSecurityException {
        Map<TlsServer, String> aliases = new IdentityHashMap<>();
        KeyStore store = KeyStore.getInstance("PKCS12");
        try {
            store.load(null, null);
        } catch (java.io.IOException e) {
            throw new GeneralSecurityException(e);
        }
        char[] password = new char[0];
        List<TlsServer> all = new ArrayList<>(servers);
        if (!all.contains(defaultServer)) {
            all.add(0, defaultServer);
        }
        for (TlsServer s : all) {
            String alias = "server" + aliases.size();
            aliases.put(s, alias);
            store.setKeyEntry(alias, s.material().key(), password, s.material().chain());
        }
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(new KeyManager[] {new SniKeyManager(this, store, password, aliases)}, null, null);
        context.getServerSessionContext().setSessionTimeout((int) defaultServer.sessionTimeout().toSeconds());
        return context;
    }

    /** The default server's protocols, suites and order on a new engine. */
    void configure(SSLEngine engine) {
        SSLParameters params = engine.getSSLParameters();
        params.setProtocols(defaultServer.protocols().toArray(String[]::new));
        params.setCipherSuites(JdkSuites.enabled(defaultServer).toArray(String[]::new));
        params.setUseCipherSuitesOrder(defaultServer.preferServerCiphers());
        engine.setSSLParameters(params);
    }
}
