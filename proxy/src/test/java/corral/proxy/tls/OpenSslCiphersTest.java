package corral.proxy.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code ssl_ciphers} strings of real vhost files (nginx's default, Mozilla's, the ones in
 * blog posts) evaluated by Corral and by the openssl binary nginx is built with: the same TLS
 * 1.2 suites in the same order.
 */
class OpenSslCiphersTest {

    private static final List<String> SPECS = List.of(
            "HIGH:!aNULL:!MD5",
            "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:"
                    + "ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305:"
                    + "DHE-RSA-AES128-GCM-SHA256:DHE-RSA-AES256-GCM-SHA384",
            "EECDH+AESGCM:EDH+AESGCM",
            "EECDH+AESGCM:EDH+AESGCM:AES256+EECDH:AES256+EDH",
            "EECDH+CHACHA20:EECDH+AES128:RSA+AES128:EECDH+AES256:RSA+AES256:EECDH+3DES:RSA+3DES:!MD5",
            "AES128+EECDH:AES128+EDH",
            "ALL:!aNULL:!eNULL:!EXPORT:!DES:!RC4:!MD5:!PSK:!SRP:!CAMELLIA",
            "DEFAULT:!DHE:-kRSA:+AES256",
            "HIGH:!aNULL:!MD5:!kRSA:@STRENGTH",
            "ECDHE:!SHA1:!SHA256:!SHA384",
            "HIGH:-AES128:AES128-SHA:!PSK");

    @Test
    void corralOrdersTheSuitesAsOpenSsl() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/openssl")), "openssl is not installed");
        for (String spec : SPECS) {
            OpenSslCiphers.Result corral = OpenSslCiphers.evaluate(spec);
            assertNotNull(corral.suites(), spec + ": " + corral.error());
            assertEquals(openssl(spec), corral.suites(), spec);
        }
    }

    @Test
    void anUnknownWordIsRefused() {
        assertEquals("\"HIHG\" is neither an OpenSSL cipher suite nor one of the aliases Corral"
                + " evaluates (see docs/vhost-rules.md)", OpenSslCiphers.evaluate("HIHG:!aNULL").error());
    }

    private static List<String> openssl(String spec) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("/usr/bin/openssl", "ciphers", "-stdname", spec)
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(30, TimeUnit.SECONDS);
        List<String> suites = new ArrayList<>();
        for (String line : out.split("\n")) {
            String iana = line.split(" ")[0];
            if (iana.contains("_WITH_")) {
                suites.add(iana);
            }
        }
        return suites;
    }
}
