package corral.proxy.tls;

import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;

/** What the JDK can offer of an OpenSSL cipher list. */
public final class JdkSuites {

    private static final Set<String> SUPPORTED;
    private static final List<String> TLS13;

    static {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, null, null);
            SSLEngine engine = context.createSSLEngine();
            engine.setUseClientMode(false);
            SUPPORTED = Set.of(engine.getSupportedCipherSuites());
            TLS13 = List.of(engine.getEnabledCipherSuites()).stream()
                    .filter(s -> !s.contains("_WITH_") && !s.endsWith("_SCSV")).toList();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("no TLS in this JDK", e);
        }
    }

    private JdkSuites() {
    }

    /** The suites of {@code iana} the JDK does not have. */
    public static List<String> missing(List<String> iana) {
        return iana.stream().filter(s -> !SUPPORTED.contains(s)).toList();
    }

    /** The suites a server enables: TLS 1.3's (OpenSSL's ssl_ciphers leaves them), then its list. */
    static List<String> enabled(TlsServer server) {
        List<String> out = new ArrayList<>(TLS13);
        server.cipherSuites().stream().filter(SUPPORTED::contains).forEach(out::add);
        return out;
    }
}
