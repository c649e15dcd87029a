package corral.proxy.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import corral.fixtures.FreePorts;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS termination against real nginx: the same vhost file (certificates made by the openssl
 * binary: RSA PKCS#8, EC SEC1 with its parameters block, RSA PKCS#1 with a CA chain) served by
 * nginx and by Corral's listeners; curl, with HTTP/2 by ALPN and with HTTP/1.1, must see the
 * same protocol, certificate (picked by SNI), status, Location and upstream request
 * ({@code $scheme}, {@code $https}, Host). Then a changed certificate is served to new
 * handshakes after a reload.
 */
class TlsDifferentialTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern SUBJECT = Pattern.compile("subject: ([^\\n]*)");

    @RegisterExtension
    static final NginxBeside started = new NginxBeside();

    @TempDir
    static Path dir;

    private static EchoUpstream echo;
    private static SideBySide both;
    private static Path certs;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/openssl")) && Files.isExecutable(Path.of("/usr/bin/curl")),
                "openssl and curl are needed");
        certs = Files.createDirectories(dir.resolve("certs"));
        makeCertificates(certs);
        echo = started.add(new EchoUpstream("h5"));
        both = started.add(SideBySide.start(dir, "tls.conf", "h5", echo.port(), TlsDifferentialTest::vhost));
    }

    static String vhost(int port) {
        String c = certs.toString();
        return """
                ssl_protocols TLSv1.2 TLSv1.3;
                ssl_ciphers HIGH:!aNULL:!MD5;
                ssl_session_timeout 10m;
                server {
                    listen PORT ssl http2;
                    server_name a.test;
                    ssl_certificate C/a.crt;
                    ssl_certificate_key C/a.key;
                    location / {
                        proxy_pass http://h5;
                        proxy_set_header Host $host;
                        proxy_set_header X-Scheme $scheme;
                        proxy_set_header X-Https "[$https]";
                    }
                    location /old { return 301 /new; }
                    location /abs { rewrite ^ $scheme://$host/moved redirect; }
                }
                server {
                    listen PORT ssl;
                    server_name b.test;
                    ssl_certificate C/b.crt;
                    ssl_certificate_key C/b.key;
                    location / {
                        proxy_pass http://h5;
                        proxy_set_header X-Https "[$https]";
                    }
                }
                server {
                    listen PORT ssl;
                    server_name c.test;
                    ssl_certificate C/c-chain.crt;
                    ssl_certificate_key C/c.key;
                    location / { proxy_pass http://h5/c/; }
                }
                server {
                    listen PORT;
                    server_name nocert.test;
                    return 200 "nocert $scheme $https";
                }
                """.replace("PORT", Integer.toString(port)).replace("C/", c + "/");
    }

    @Test
    void curlSeesWhatItSeesFromNginx() throws Exception {
        List<String> mismatches = new ArrayList<>();
        int cases = 0;
        for (String http : List.of("--http2", "--http1.1")) {
            for (String[] req : new String[][] {{"a.test", "/path/x?y=1"}, {"a.test", "/old"},
                    {"a.test", "/abs"}, {"b.test", "/b"}, {"c.test", "/deep"}, {"nocert.test", "/"},
                    {"other.test", "/"}, {null, "/nosni"}}) {
                Map<String, String> n = curl(http, req[0], both.nginxPort, req[1]);
                Map<String, String> c = curl(http, req[0], both.corralPort, req[1]);
                cases++;
                if (!n.equals(c)) {
                    mismatches.add(http + " " + req[0] + req[1] + "\n    nginx:  " + n + "\n    corral: " + c);
                }
            }
        }
        if (!mismatches.isEmpty()) {
            fail(mismatches.size() + " of " + cases + " differ:\n" + String.join("\n", mismatches));
        }
    }

    @Test
    void aChangedCertificateIsServedAfterReload() throws Exception {
        Path reloadDir = Files.createDirectories(dir.resolve("reload"));
        int port = FreePorts.pick();
        Path crt = reloadDir.resolve("r.crt");
        Path key = reloadDir.resolve("r.key");
        openssl(reloadDir, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key.toString(),
                "-out", crt.toString(), "-subj", "/CN=first", "-days", "2");
        Path conf = reloadDir.resolve("r.conf");
        Files.writeString(conf, "server { listen " + port + " ssl; ssl_certificate " + crt
                + "; ssl_certificate_key " + key + "; return 200 ok; }\n");
        Map<Integer, String> apps = Map.of(echo.port(), "h5");
        try (CorralListeners own = new CorralListeners(VhostLoader.load(conf, Set.of("h5"), apps), Map.of())) {
            assertEquals("CN=first", curl("--http1.1", null, port, "/").get("subject"));
            openssl(reloadDir, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key.toString(),
                    "-out", crt.toString(), "-subj", "/CN=second", "-days", "2");
            own.reload(VhostLoader.load(conf, Set.of("h5"), apps));
            Map<String, String> after = curl("--http1.1", null, port, "/");
            assertEquals("CN=second", after.get("subject"));
            assertEquals("200", after.get("status"));
        }
    }

    @Test
    void badCertificateFilesAreRefusedWithFileAndLine() throws Exception {
        Path bad = Files.createDirectories(dir.resolve("bad"));
        Files.writeString(bad.resolve("garbage.pem"), "-----BEGIN PRIVATE KEY-----\nnot base64 at all\n"
                + "-----END PRIVATE KEY-----\n");
        Path conf = bad.resolve("bad.conf");
        Files.writeString(conf, "server {\n    listen 18443 ssl;\n    ssl_certificate " + certs.resolve("a.crt")
                + ";\n    ssl_certificate_key " + bad.resolve("garbage.pem") + ";\n}\n"
                + "server {\n    listen 18444 ssl;\n    ssl_certificate " + bad.resolve("missing.crt")
                + ";\n    ssl_certificate_key " + certs.resolve("a.key") + ";\n}\n"
                + "server {\n    listen 18445 ssl;\n    ssl_certificate " + certs.resolve("a.crt")
                + ";\n    ssl_certificate_key " + certs.resolve("b.key") + ";\n}\n"
                + "server {\n    listen 18446 ssl;\n}\n");
        try {
            VhostLoader.load(conf, Set.of("h5"));
            fail("loaded");
        } catch (RulesException e) {
            String m = e.getMessage();
            assertTrue(m.contains(conf + ":4: cannot read a PEM private key from \"" + bad.resolve("garbage.pem")), m);
            assertTrue(m.contains(conf + ":8: cannot read \"" + bad.resolve("missing.crt") + "\": no such file"), m);
            assertTrue(m.contains(conf + ":14: the key in"), m);
            assertTrue(m.contains(conf + ":17: no \"ssl_certificate\" is defined"), m);
            assertEquals(4, m.lines().count(), m);
        }
    }

    // ---- curl ----

    /** What curl saw: status, protocol, certificate subject, Location, and what the upstream got. */
    private static Map<String, String> curl(String http, String host, int port, String path) throws Exception {
        Path out = Files.createTempFile(dir, "curl", ".out");
        Path headers = Files.createTempFile(dir, "curl", ".headers");
        List<String> cmd = new ArrayList<>(List.of("/usr/bin/curl", "-sk", "-v", http, "--max-time", "20",
                "-o", out.toString(), "-D", headers.toString(), "-w", "%{http_code} %{http_version}"));
        String authority = host == null ? "127.0.0.1" : host;
        if (host != null) {
            cmd.addAll(List.of("--resolve", host + ":" + port + ":127.0.0.1"));
        }
        cmd.add("https://" + authority + ":" + port + path);
        Process p = new ProcessBuilder(cmd).redirectError(dir.resolve("curl.err").toFile()).start();
        String written = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("curl hangs");
        }
        String err = Files.readString(dir.resolve("curl.err"));
        Map<String, String> seen = new TreeMap<>();
        String[] w = written.split(" ");
        seen.put("status", w[0]);
        seen.put("protocol", w.length > 1 ? w[1] : "");
        Matcher m = SUBJECT.matcher(err);
        seen.put("subject", m.find() ? m.group(1).trim() : "(none)");
        String body = Files.readString(out, StandardCharsets.ISO_8859_1);
        for (String line : Files.readAllLines(headers, StandardCharsets.ISO_8859_1)) {
            String lower = line.toLowerCase(Locale.ROOT);
            if (lower.startsWith("location:")) {
                seen.put("location", line.substring(9).trim().replace(":" + port + "/", ":PORT/"));
            }
            if (lower.startsWith("x-echo:")) {
                JsonNode echoed = JSON.readTree(Base64.getDecoder().decode(line.substring(7).trim()));
                seen.put("upstream", echoed.get("method").asText() + " " + echoed.get("uri").asText());
                for (JsonNode h : echoed.get("headers")) {
                    String name = h.get(0).asText().toLowerCase(Locale.ROOT);
                    if (Set.of("host", "x-scheme", "x-https").contains(name)) {
                        seen.put("upstream " + name, h.get(1).asText());
                    }
                }
                body = "";
            }
        }
        if (!body.isEmpty() && !seen.get("status").startsWith("3")) {
            seen.put("body", body);
        }
        return seen;
    }

    // ---- certificates ----

    private static void makeCertificates(Path c) throws Exception {
        // a.test: RSA, PKCS#8 key ("BEGIN PRIVATE KEY", openssl 3's default)
        openssl(c, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "a.key", "-out", "a.crt",
                "-subj", "/CN=a.test", "-days", "2");
        // b.test: EC P-256, SEC1 key with its EC PARAMETERS block first
        openssl(c, "ecparam", "-name", "prime256v1", "-genkey", "-out", "b.key");
        openssl(c, "req", "-x509", "-key", "b.key", "-out", "b.crt", "-subj", "/CN=b.test", "-days", "2");
        // c.test: RSA PKCS#1 key ("BEGIN RSA PRIVATE KEY"), signed by a CA, chain in the file
        openssl(c, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.crt",
                "-subj", "/CN=Corral Test CA", "-days", "2");
        openssl(c, "genrsa", "-traditional", "-out", "c.key", "2048");
        openssl(c, "req", "-new", "-key", "c.key", "-out", "c.csr", "-subj", "/CN=c.test");
        openssl(c, "x509", "-req", "-in", "c.csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial",
                "-out", "c.crt", "-days", "2");
        Files.writeString(c.resolve("c-chain.crt"), Files.readString(c.resolve("c.crt"))
                + Files.readString(c.resolve("ca.crt")));
        assertTrue(Files.readString(c.resolve("c.key")).startsWith("-----BEGIN RSA PRIVATE KEY-----"));
        assertTrue(Files.readString(c.resolve("b.key")).startsWith("-----BEGIN EC PARAMETERS-----"));
    }

    static void openssl(Path in, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("/usr/bin/openssl"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).directory(in.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IOException("openssl " + String.join(" ", args) + ": " + out);
        }
    }
}
