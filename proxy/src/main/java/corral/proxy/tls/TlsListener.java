package corral.proxy.tls;

import java.io.IOException;
import java.security.GeneralSecurityException;

/**
 * The SSL context of a vhost TLS port's listener (opened by {@code corral.proxy.listen}, which
 * bounds its connections as for a plain port): HTTP/2 is offered by ALPN when the port says
 * {@code http2} (Undertow picks h2 only with a TLS 1.2+ AEAD suite, as RFC 9113 §9.2 asks, else
 * HTTP/1.1), and HTTP/1.1 always.
 */
public final class TlsListener {

    private TlsListener() {
    }

    public static SwappableSslContext context(TlsPort port) throws IOException {
        try {
            return SwappableSslContext.of(port);
        } catch (GeneralSecurityException e) {
            throw new IOException("port " + port.port() + ": TLS: " + e.getMessage(), e);
        }
    }
}
