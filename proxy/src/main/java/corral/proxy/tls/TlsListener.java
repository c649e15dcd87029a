package corral.proxy.tls;

import io.undertow.Undertow;
import io.undertow.UndertowOptions;
import java.io.IOException;
import java.security.GeneralSecurityException;

/**
 * An Undertow HTTPS listener for a vhost TLS port: HTTP/2 offered by ALPN when the port says
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

    public static Undertow.Builder add(Undertow.Builder builder, int port, String host,
                                       SwappableSslContext context, boolean http2) {
        return builder.addHttpsListener(port, host, context)
                .setServerOption(UndertowOptions.ENABLE_HTTP2, http2);
    }
}
