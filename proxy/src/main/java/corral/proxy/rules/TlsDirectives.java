package corral.proxy.rules;

import corral.proxy.tls.JdkSuites;
import corral.proxy.tls.KeyMaterial;
import corral.proxy.tls.OpenSslCiphers;
import corral.proxy.tls.TlsServer;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * nginx's ssl module directives (and {@code http2 on}) at http and server level, inherited as
 * nginx inherits them: a server takes the http level's value of what it does not set. Files are
 * read at load, so a missing file, garbage PEM or a key that does not match is refused with the
 * directive's file:line, and a {@code reload-conf} reads changed certificates again.
 */
final class TlsDirectives {

    /** One level's own values (null: not set there). */
    private static final class Draft {
        Directive certificate;
        Directive key;
        List<String> protocols;
        Directive ciphers;
        Boolean preferServerCiphers;
        Duration sessionTimeout;
        Boolean http2;
    }

    /** Accepted with the reason Corral's behaviour is the same for the client. */
    private static final Map<String, String> NOTICED = new HashMap<>();

    static {
        NOTICED.put("ssl_session_cache", "the JDK keeps its own in-memory session cache per port"
                + " (a client may resume within ssl_session_timeout)");
        NOTICED.put("ssl_session_tickets", "the JDK decides session tickets (TLS 1.3 resumption);"
                + " nothing else in the answer changes");
        NOTICED.put("ssl_buffer_size", "the JDK sizes its TLS records; the bytes are the same");
        NOTICED.put("ssl_dhparam", "the JDK uses the RFC 7919 ffdhe groups for DHE suites");
        NOTICED.put("ssl_ecdh_curve", "the JDK offers its default named groups (x25519, secp256r1,"
                + " secp384r1, ...)");
        NOTICED.put("ssl_stapling", "Corral sends no OCSP response (clients fetch it themselves)");
        NOTICED.put("ssl_stapling_verify", "Corral sends no OCSP response");
        NOTICED.put("ssl_trusted_certificate", "used by nginx only to verify OCSP responses and"
                + " client certificates, which Corral does not do");
        NOTICED.put("ssl_early_data", "Corral accepts no 0-RTT data (nginx's default, off)");
    }

    private static final Set<String> REFUSED = Set.of("ssl", "ssl_client_certificate",
            "ssl_verify_client", "ssl_verify_depth", "ssl_crl", "ssl_password_file",
            "ssl_conf_command", "ssl_reject_handshake", "ssl_ocsp", "ssl_ocsp_cache",
            "ssl_ocsp_responder", "ssl_stapling_file", "ssl_stapling_responder",
            "ssl_session_ticket_key", "http2_push", "http2_push_preload");

    private final Problems problems;
    private final Draft top = new Draft();
    private final Map<Directive, Draft> servers = new IdentityHashMap<>();
    private final Map<Directive, Object> read = new IdentityHashMap<>();

    TlsDirectives(Problems problems) {
        this.problems = problems;
    }

    /** Whether nginx's ssl module (or http2's) has that directive. */
    static boolean isTls(String name) {
        return name.startsWith("ssl_") || name.startsWith("http2") || name.equals("ssl");
    }

    /**
     * Compiles {@code d} at the http level ({@code server} null) or in {@code server}; false when
     * it is not a TLS directive.
     */
    boolean compile(Directive d, Directive server) {
        if (!isTls(d.name())) {
            return false;
        }
        Draft level = server == null ? top : servers.computeIfAbsent(server, s -> new Draft());
        if (!problems.expectNoBlock(d)) {
            return true;
        }
        String noticed = NOTICED.get(d.name());
        if (noticed != null) {
            if (d.name().equals("ssl_early_data") && !d.args().equals(List.of("off"))) {
                problems.add(d, "\"ssl_early_data on\" is not supported: Corral accepts no 0-RTT"
                        + " data (write \"ssl_early_data off;\")");
            } else if (problems.expectArgs(d, 1, Integer.MAX_VALUE)) {
                problems.notice(d, "\"" + d.name() + "\" is accepted, not applied: " + noticed);
            }
            return true;
        }
        switch (d.name()) {
            case "ssl_certificate" -> level.certificate = oneFile(d, level.certificate);
            case "ssl_certificate_key" -> level.key = oneFile(d, level.key);
            case "ssl_protocols" -> level.protocols = protocols(d);
            case "ssl_ciphers" -> level.ciphers = ciphers(d);
            case "ssl_prefer_server_ciphers" -> level.preferServerCiphers = flag(d);
            case "http2" -> level.http2 = flag(d);
            case "ssl_session_timeout" -> {
                if (problems.expectArgs(d, 1, 1)) {
                    level.sessionTimeout = NginxUnits.time(d.arg(0));
                    if (level.sessionTimeout == null) {
                        problems.add(d, "invalid value \"" + d.arg(0) + "\" (a time: 5m, 1h, 300s)");
                    }
                }
            }
            default -> problems.add(d, "\"" + d.name() + "\" is not supported by Corral"
                    + (REFUSED.contains(d.name()) ? refusal(d.name()) : " (not one of the ssl"
                    + " directives of docs/vhost-rules.md)"));
        }
        return true;
    }

    private static String refusal(String name) {
        return switch (name) {
            case "ssl" -> ": write \"listen PORT ssl;\" (nginx 1.15 deprecated \"ssl on\")";
            case "ssl_client_certificate", "ssl_verify_client", "ssl_verify_depth", "ssl_crl" ->
                    ": Corral does not verify client certificates (terminate mutual TLS in front)";
            case "ssl_password_file" -> ": write the key unencrypted, readable by Corral only";
            default -> ": it would change the handshake in a way Corral cannot reproduce";
        };
    }

    /** {@code http2 on} in this server, or at the http level for a server that does not say. */
    boolean http2(Directive server) {
        Draft own = servers.get(server);
        Boolean v = own != null && own.http2 != null ? own.http2 : top.http2;
        return v != null && v;
    }

    /**
     * The server's TLS with the http level's values under its own; null when neither level
     * names a certificate. Reads and checks the PEM files once per directive; a file that cannot
     * serve is a problem recorded here, and the result then has no material.
     */
    TlsServer build(Directive server) {
        Draft own = servers.getOrDefault(server, new Draft());
        Directive certificate = own.certificate != null ? own.certificate : top.certificate;
        Directive key = own.key != null ? own.key : top.key;
        if (certificate == null) {
            return null;
        }
        if (key == null) {
            problems.add(certificate, "no \"ssl_certificate_key\" is defined for certificate \""
                    + certificate.arg(0) + "\"");
            return null;
        }
        Object material = read.computeIfAbsent(certificate, c -> material(certificate, key));
        KeyMaterial km = material instanceof KeyMaterial m ? m : null; // null: refused already
        List<String> protocols = own.protocols != null ? own.protocols : top.protocols;
        Directive ciphers = own.ciphers != null ? own.ciphers : top.ciphers;
        Boolean prefer = own.preferServerCiphers != null ? own.preferServerCiphers : top.preferServerCiphers;
        Duration timeout = own.sessionTimeout != null ? own.sessionTimeout : top.sessionTimeout;
        return new TlsServer(path(certificate), path(key), km,
                protocols != null ? protocols : List.of("TLSv1.2", "TLSv1.3"),
                OpenSslCiphers.evaluate(ciphers != null ? ciphers.arg(0) : OpenSslCiphers.NGINX_DEFAULT).suites(),
                prefer != null && prefer, timeout != null ? timeout : Duration.ofMinutes(5));
    }

    /** The key material, or the problem's message (recorded at the key's or the certificate's line). */
    private Object material(Directive certificate, Directive key) {
        try {
            return KeyMaterial.read(path(certificate), path(key));
        } catch (KeyMaterial.PemException e) {
            Directive at = e.getMessage().contains("\"" + path(key) + "\"") ? key : certificate;
            problems.add(at, e.getMessage());
            return e.getMessage();
        }
    }

    /** nginx reads a relative path from its prefix; Corral from the file's directory. */
    private static Path path(Directive d) {
        Path p = Path.of(d.arg(0));
        return p.isAbsolute() ? p : d.file().toAbsolutePath().getParent().resolve(p);
    }

    private Directive oneFile(Directive d, Directive before) {
        if (!problems.expectArgs(d, 1, 1)) {
            return before;
        }
        if (before != null) {
            problems.add(d, "a second \"" + d.name() + "\" at this level (first at line "
                    + before.line() + "): Corral serves one certificate per server (nginx's"
                    + " RSA + ECDSA pair is not supported)");
            return before;
        }
        if (d.arg(0).contains("$") || d.arg(0).startsWith("data:")) {
            problems.add(d, "variables and data: in \"" + d.name() + "\" are not supported by Corral"
                    + " (name one PEM file)");
            return null;
        }
        return d;
    }

    /** nginx's default is TLSv1 to TLSv1.3; the JDK (as OpenSSL 3 at level 1) has only 1.2 and 1.3. */
    private List<String> protocols(Directive d) {
        if (!problems.expectArgs(d, 1, 6)) {
            return null;
        }
        List<String> kept = new ArrayList<>();
        List<String> old = new ArrayList<>();
        for (String p : d.args()) {
            switch (p) {
                case "TLSv1.2", "TLSv1.3" -> kept.add(p);
                case "SSLv2", "SSLv3", "TLSv1", "TLSv1.1" -> old.add(p);
                default -> {
                    problems.add(d, "invalid value \"" + p + "\" (expected SSLv2, SSLv3, TLSv1,"
                            + " TLSv1.1, TLSv1.2 or TLSv1.3)");
                    return null;
                }
            }
        }
        if (kept.isEmpty()) {
            problems.add(d, "ssl_protocols " + String.join(" ", d.args()) + ": the JDK speaks only"
                    + " TLSv1.2 and TLSv1.3 (older ones are disabled in it, as in OpenSSL 3 at its"
                    + " default security level): add TLSv1.2");
            return null;
        }
        if (!old.isEmpty()) {
            problems.notice(d, "\"ssl_protocols\": " + String.join(" ", old) + " accepted, not"
                    + " applied: disabled in the JDK, as in nginx's OpenSSL 3 at its default"
                    + " security level");
        }
        return List.copyOf(kept);
    }

    private Directive ciphers(Directive d) {
        if (!problems.expectArgs(d, 1, 1)) {
            return null;
        }
        OpenSslCiphers.Result r = OpenSslCiphers.evaluate(d.arg(0));
        if (r.error() != null) {
            problems.add(d, "ssl_ciphers: " + r.error());
            return null;
        }
        List<String> missing = JdkSuites.missing(r.suites());
        if (missing.size() == r.suites().size()) {
            problems.add(d, "ssl_ciphers \"" + d.arg(0) + "\" leaves no TLS 1.2 suite the JDK has"
                    + " (it has AES-GCM, AES-CBC and CHACHA20-POLY1305 with ECDHE, DHE or RSA)");
            return null;
        }
        if (!missing.isEmpty()) {
            problems.notice(d, "\"ssl_ciphers\": " + missing.size() + " of its " + r.suites().size()
                    + " suites are not in the JDK and are not offered (" + String.join(", ",
                    missing.subList(0, Math.min(4, missing.size()))) + (missing.size() > 4 ? ", ..." : "")
                    + "); the others are, in the same order");
        }
        return d;
    }

    private Boolean flag(Directive d) {
        if (!problems.expectArgs(d, 1, 1)) {
            return null;
        }
        return switch (d.arg(0)) {
            case "on" -> true;
            case "off" -> false;
            default -> {
                problems.add(d, "invalid value \"" + d.arg(0) + "\" (expected on or off)");
                yield null;
            }
        };
    }
}
