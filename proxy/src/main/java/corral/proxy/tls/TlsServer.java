package corral.proxy.tls;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The TLS settings of one vhost {@code server} (its own, else inherited from the http level, as
 * nginx inherits {@code ssl_*}).
 *
 * @param certificate          {@code ssl_certificate}'s file
 * @param key                  {@code ssl_certificate_key}'s file
 * @param material             both, read and checked at load; null when they could not be
 *                             (the load then fails with the reason)
 * @param protocols            {@code ssl_protocols} the JDK enables (TLSv1.2, TLSv1.3)
 * @param cipherSuites         {@code ssl_ciphers} as IANA names, in OpenSSL's order (TLS 1.2 and
 *                             older; the TLS 1.3 suites are always on, as in OpenSSL)
 * @param preferServerCiphers  {@code ssl_prefer_server_ciphers} (nginx: off)
 * @param sessionTimeout       {@code ssl_session_timeout} (nginx: 5m)
 */
public record TlsServer(Path certificate, Path key, KeyMaterial material, List<String> protocols,
                        List<String> cipherSuites, boolean preferServerCiphers,
                        Duration sessionTimeout) {

    /** Whether two servers negotiate alike (only the certificate may differ on one port). */
    public boolean negotiatesAs(TlsServer other) {
        return protocols.equals(other.protocols) && cipherSuites.equals(other.cipherSuites)
                && preferServerCiphers == other.preferServerCiphers
                && sessionTimeout.equals(other.sessionTimeout);
    }
}
