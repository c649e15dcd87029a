package corral.proxy.tls;

import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Locale;
import java.util.Map;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSession;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509KeyManager;

/**
 * Sends the certificate of the server that nginx's SNI callback would pick: the server-name
 * lookup of the port on the client's SNI name; no SNI, or a server without certificate, gives the
 * default server's. A key of the wrong type for the handshake (an EC key where the client only
 * takes RSA) gives none, and the handshake fails as OpenSSL's would.
 */
final class SniKeyManager extends X509ExtendedKeyManager {

    private final TlsPort port;
    private final X509KeyManager keys;
    private final Map<TlsServer, String> aliases;

    SniKeyManager(TlsPort port, KeyStore store, char[] password, Map<TlsServer, String> aliases)
            throws GeneralSecurityException {
        KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        factory.init(store, password);
        this.keys = (X509KeyManager) factory.getKeyManagers()[0];
        this.port = port;
        this.aliases = aliases;
    }

    @Override
    public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
        TlsServer server = port.defaultServer();
        SSLSession handshake = engine == null ? null : engine.getHandshakeSession();
        if (handshake instanceof ExtendedSSLSession extended) {
            for (SNIServerName name : extended.getRequestedServerNames()) {
                if (name instanceof SNIHostName host) {
                    TlsServer picked = port.bySni().apply(host.getAsciiName().toLowerCase(Locale.ROOT));
                    if (picked != null) {
                        server = picked;
                    }
                }
            }
        }
        String alias = aliases.get(server);
        PrivateKey key = server.material().key();
        boolean fits = keyType.equals(key.getAlgorithm())
                || keyType.equals("EC") && key.getAlgorithm().equals("ECDSA");
        return fits ? alias : null;
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
        return chooseEngineServerAlias(keyType, issuers, null);
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
        return keys.getCertificateChain(alias);
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
        return keys.getPrivateKey(alias);
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
        return keys.getServerAliases(keyType, issuers);
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
        return null;
    }

    @Override
    public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
        return null;
    }
}
