package corral.proxy.tls;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

/**
 * A server's certificate chain and private key, read from nginx's PEM files
 * ({@code ssl_certificate}: the server's certificate first, then the chain;
 * {@code ssl_certificate_key}: RSA or EC, PKCS#1 "BEGIN RSA/EC PRIVATE KEY" or PKCS#8 "BEGIN
 * PRIVATE KEY") by BouncyCastle's PEM parser. Like nginx, the key must match the certificate.
 */
public record KeyMaterial(PrivateKey key, X509Certificate[] chain) {

    /** Why a PEM file cannot serve, worded for the directive that names it. */
    public static final class PemException extends Exception {
        public PemException(String message) {
            super(message);
        }
    }

    public static KeyMaterial read(Path certificate, Path key) throws PemException {
        X509Certificate[] chain = certificates(certificate);
        PrivateKey privateKey = privateKey(key);
        if (!matches(privateKey, chain[0])) {
            throw new PemException("the key in \"" + key + "\" does not match the certificate in \""
                    + certificate + "\" (nginx: key values mismatch)");
        }
        return new KeyMaterial(privateKey, chain);
    }

    static X509Certificate[] certificates(Path file) throws PemException {
        List<X509Certificate> chain = new ArrayList<>();
        JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
        try (PEMParser pem = parser(file)) {
            for (Object o = pem.readObject(); o != null; o = pem.readObject()) {
                if (o instanceof X509CertificateHolder holder) {
                    chain.add(converter.getCertificate(holder));
                }
            }
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            throw new PemException("cannot read a PEM certificate from \"" + file + "\": " + reason(e));
        }
        if (chain.isEmpty()) {
            throw new PemException("no \"BEGIN CERTIFICATE\" in \"" + file + "\" (a PEM certificate"
                    + " chain is expected)");
        }
        return chain.toArray(X509Certificate[]::new);
    }

    static PrivateKey privateKey(Path file) throws PemException {
        JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
        try (PEMParser pem = parser(file)) {
            for (Object o = pem.readObject(); o != null; o = pem.readObject()) {
                if (o instanceof PEMKeyPair pair) {
                    return converter.getPrivateKey(pair.getPrivateKeyInfo());
                }
                if (o instanceof PrivateKeyInfo info) {
                    return converter.getPrivateKey(info);
                }
                if (o instanceof PEMEncryptedKeyPair || o instanceof PKCS8EncryptedPrivateKeyInfo) {
                    throw new PemException("the key in \"" + file + "\" is encrypted: Corral has no"
                            + " ssl_password_file (write the key unencrypted, readable by Corral only)");
                }
                // an EC PARAMETERS block before the key, or a certificate in the same file: skip
            }
        } catch (IOException | RuntimeException e) {
            throw new PemException("cannot read a PEM private key from \"" + file + "\": " + reason(e));
        }
        throw new PemException("no private key (\"BEGIN PRIVATE KEY\", \"BEGIN RSA PRIVATE KEY\" or"
                + " \"BEGIN EC PRIVATE KEY\") in \"" + file + "\"");
    }

    private static PEMParser parser(Path file) throws PemException, IOException {
        if (!Files.isReadable(file)) {
            throw new PemException("cannot read \"" + file + "\": "
                    + (Files.exists(file) ? "permission denied" : "no such file"));
        }
        Reader reader = Files.newBufferedReader(file, StandardCharsets.US_ASCII);
        return new PEMParser(reader);
    }

    /** Signs and verifies a few bytes: the check OpenSSL does with X509_check_private_key. */
    private static boolean matches(PrivateKey key, X509Certificate certificate) {
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC", "ECDSA" -> "SHA256withECDSA";
            default -> null;
        };
        if (algorithm == null || !key.getAlgorithm().equals(certificate.getPublicKey().getAlgorithm())
                && !(key.getAlgorithm().startsWith("EC") && certificate.getPublicKey().getAlgorithm().startsWith("EC"))) {
            return false;
        }
        try {
            byte[] probe = "corral".getBytes(StandardCharsets.US_ASCII);
            Signature sign = Signature.getInstance(algorithm);
            sign.initSign(key);
            sign.update(probe);
            byte[] signature = sign.sign();
            Signature verify = Signature.getInstance(algorithm);
            verify.initVerify(certificate.getPublicKey());
            verify.update(probe);
            return verify.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private static String reason(Exception e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
