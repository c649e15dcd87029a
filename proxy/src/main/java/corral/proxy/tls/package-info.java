/**
 * TLS termination on the vhost listeners, as nginx's ssl module does it: PEM certificates and
 * keys (read with BouncyCastle), OpenSSL cipher strings evaluated as OpenSSL 3.0 does and mapped
 * to the JDK's suites, the certificate picked by SNI among a port's servers, and an SSL context
 * that a reload swaps for new handshakes while open connections go on.
 * It must not look at requests or routing: it only builds and swaps SSL contexts.
 */
package corral.proxy.tls;
