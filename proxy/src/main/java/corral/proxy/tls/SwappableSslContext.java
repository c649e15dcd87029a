package corral.proxy.tls;

import java.security.GeneralSecurityException;
import java.security.KeyManagementException;
import java.security.SecureRandom;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLContextSpi;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;

/**
 * The SSL context of one TLS listener. Undertow keeps the context it was built with for the
 * listener's life; this one hands each new handshake to the context of the port's current
 * {@link TlsPort}, so {@code reload-conf} serves a changed certificate to new connections while
 * the open ones go on with the engine they have (as nginx's old workers do).
 */
public final class SwappableSslContext extends SSLContext {

    private record Current(TlsPort port, SSLContext context) {
    }

    private final AtomicReference<Current> current;

    private SwappableSslContext(AtomicReference<Current> current, Spi spi) {
        super(spi, current.get().context().getProvider(), "TLS");
        this.current = current;
    }

    public static SwappableSslContext of(TlsPort port) throws GeneralSecurityException {
        AtomicReference<Current> current = new AtomicReference<>(new Current(port, port.newContext()));
        return new SwappableSslContext(current, new Spi(current));
    }

    /** New handshakes use {@code port}'s certificates and settings from now on. */
    public void swap(TlsPort port) throws GeneralSecurityException {
        current.set(new Current(port, port.newContext()));
    }

    public TlsPort port() {
        return current.get().port();
    }

    private static final class Spi extends SSLContextSpi {
        private final AtomicReference<Current> current;

        Spi(AtomicReference<Current> current) {
            this.current = current;
        }

        @Override
        protected void engineInit(KeyManager[] km, TrustManager[] tm, SecureRandom sr)
                throws KeyManagementException {
            throw new KeyManagementException("initialised from the vhost rules only");
        }

        @Override
        protected SSLEngine engineCreateSSLEngine() {
            Current c = current.get();
            SSLEngine engine = c.context().createSSLEngine();
            c.port().configure(engine);
            return engine;
        }

        @Override
        protected SSLEngine engineCreateSSLEngine(String host, int port) {
            Current c = current.get();
            SSLEngine engine = c.context().createSSLEngine(host, port);
            c.port().configure(engine);
            return engine;
        }

        @Override
        protected SSLSocketFactory engineGetSocketFactory() {
            return current.get().context().getSocketFactory();
        }

        @Override
        protected SSLServerSocketFactory engineGetServerSocketFactory() {
            return current.get().context().getServerSocketFactory();
        }

        @Override
        protected SSLSessionContext engineGetServerSessionContext() {
            return current.get().context().getServerSessionContext();
        }

        @Override
        protected SSLSessionContext engineGetClientSessionContext() {
            return current.get().context().getClientSessionContext();
        }
    }
}
