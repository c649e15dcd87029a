package corral.proxy.tls;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;

/**
 * nginx's {@code ssl_ciphers}: an OpenSSL cipher string, evaluated as OpenSSL 3.0's
 * {@code ssl_create_cipher_list} does (the same start order, add / {@code -} / {@code +} /
 * {@code !} / {@code @STRENGTH} moving suites in one list) over the suites of
 * {@code openssl-ciphers.txt}. The TLS 1.3 suites are not touched, as in OpenSSL (they have
 * {@code ssl_conf_command Ciphersuites}). A word that is neither a suite nor an alias of
 * OpenSSL's is an error, not skipped: nginx would skip it silently, and a typo in a security
 * setting should be seen.
 */
public final class OpenSslCiphers {

    /** One TLS 1.2 (or older) suite as OpenSSL lists it. */
    record Suite(String iana, String name, String protocol, String kx, String au, String enc,
                 String mac, String strength, boolean notDefault) {

        int bits() {
            int open = enc.indexOf('(');
            return open < 0 ? 0 : Integer.parseInt(enc.substring(open + 1, enc.indexOf(')')));
        }

        String encName() {
            int open = enc.indexOf('(');
            return (open < 0 ? enc : enc.substring(0, open)).toUpperCase(Locale.ROOT);
        }
    }

    /** The outcome: the suites in order (IANA names), or why the string is refused. */
    public record Result(List<String> suites, String error) {
    }

    private static final List<Suite> SUITES = load();

    /** OpenSSL's default: nginx's {@code ssl_ciphers HIGH:!aNULL:!MD5}. */
    public static final String NGINX_DEFAULT = "HIGH:!aNULL:!MD5";

    private OpenSslCiphers() {
    }

    /** Evaluates {@code spec} as OpenSSL would. */
    public static Result evaluate(String spec) {
        List<Suite> list = new ArrayList<>(SUITES);
        Set<Suite> active = new HashSet<>();
        String rest = spec;
        if (rest.startsWith("DEFAULT")) {
            rest = "ALL:!COMPLEMENTOFDEFAULT:!eNULL" + rest.substring("DEFAULT".length());
        }
        for (String word : rest.split("[:, ]+")) {
            if (word.isEmpty()) {
                continue;
            }
            if (word.startsWith("@STRENGTH")) {
                List<Suite> sorted = new ArrayList<>(list);
                sorted.sort(Comparator.comparingInt(Suite::bits).reversed());
                list = sorted;
                continue;
            }
            if (word.startsWith("@SECLEVEL=")) {
                continue; // every suite listed here passes OpenSSL's levels 0 to 3
            }
            char op = word.charAt(0);
            String body = op == '!' || op == '-' || op == '+' ? word.substring(1) : word;
            Predicate<Suite> match = match(body);
            if (match == null) {
                return new Result(List.of(), "\"" + body + "\" is neither an OpenSSL cipher suite"
                        + " nor one of the aliases Corral evaluates (see docs/vhost-rules.md)");
            }
            list = apply(op, match, list, active);
        }
        List<String> out = list.stream().filter(active::contains).map(Suite::iana).toList();
        return new Result(out, null);
    }

    /** One rule over the list, as ssl_cipher_apply_rule: list order is OpenSSL's order. */
    private static List<Suite> apply(char op, Predicate<Suite> match, List<Suite> list,
                                     Set<Suite> active) {
        List<Suite> out = new ArrayList<>(list);
        switch (op) {
            case '!' -> out.removeIf(s -> {
                if (match.test(s)) {
                    active.remove(s);
                    return true;
                }
                return false;
            });
            case '-' -> {
                // deleted suites go to the head, most recent first, for a later add
                List<Suite> deleted = new ArrayList<>();
                for (Suite s : list) {
                    if (active.contains(s) && match.test(s)) {
                        deleted.add(s);
                        active.remove(s);
                    }
                }
                out.removeAll(deleted);
                out.addAll(0, deleted);
            }
            case '+' -> moveToTail(list, out, s -> active.contains(s) && match.test(s), active);
            default -> moveToTail(list, out, s -> !active.contains(s) && match.test(s), active);
        }
        return out;
    }

    private static void moveToTail(List<Suite> list, List<Suite> out, Predicate<Suite> which,
                                   Set<Suite> active) {
        List<Suite> moved = list.stream().filter(which).toList();
        out.removeAll(moved);
        out.addAll(moved);
        active.addAll(moved);
    }

    /** A word: a suite's OpenSSL name, or aliases joined by "+" (all must hold); null if unknown. */
    private static Predicate<Suite> match(String word) {
        for (Suite s : SUITES) {
            if (s.name().equals(word)) {
                return candidate -> candidate == s;
            }
        }
        Predicate<Suite> all = s -> true;
        for (String part : word.split("\\+")) {
            Predicate<Suite> alias = alias(part);
            if (alias == null) {
                return null;
            }
            all = all.and(alias);
        }
        return all;
    }

    private static final Map<String, Predicate<Suite>> ALIASES = Map.ofEntries(
            Map.entry("ALL", s -> !s.enc().equals("None")),
            Map.entry("COMPLEMENTOFALL", s -> s.enc().equals("None")),
            Map.entry("COMPLEMENTOFDEFAULT", Suite::notDefault),
            Map.entry("HIGH", s -> s.strength().equals("HIGH")),
            Map.entry("MEDIUM", s -> s.strength().equals("MEDIUM")),
            Map.entry("LOW", s -> s.strength().equals("LOW")),
            Map.entry("EXPORT", s -> false), Map.entry("EXP", s -> false),
            Map.entry("EXPORT40", s -> false), Map.entry("EXPORT56", s -> false),
            Map.entry("SSLv2", s -> false),
            Map.entry("kRSA", s -> s.kx().equals("RSA")), Map.entry("RSA", s -> s.kx().equals("RSA")),
            Map.entry("aRSA", s -> s.au().equals("RSA")),
            Map.entry("kDHE", s -> s.kx().equals("DH")), Map.entry("kEDH", s -> s.kx().equals("DH")),
            Map.entry("DH", s -> s.kx().equals("DH")),
            Map.entry("DHE", s -> s.kx().equals("DH") && !s.au().equals("None")),
            Map.entry("EDH", s -> s.kx().equals("DH") && !s.au().equals("None")),
            Map.entry("kECDHE", s -> s.kx().equals("ECDH")), Map.entry("kEECDH", s -> s.kx().equals("ECDH")),
            Map.entry("ECDH", s -> s.kx().equals("ECDH")),
            Map.entry("ECDHE", s -> s.kx().equals("ECDH") && !s.au().equals("None")),
            Map.entry("EECDH", s -> s.kx().equals("ECDH") && !s.au().equals("None")),
            Map.entry("ADH", s -> s.kx().equals("DH") && s.au().equals("None")),
            Map.entry("AECDH", s -> s.kx().equals("ECDH") && s.au().equals("None")),
            Map.entry("aNULL", s -> s.au().equals("None")),
            Map.entry("eNULL", s -> s.enc().equals("None")), Map.entry("NULL", s -> s.enc().equals("None")),
            Map.entry("aECDSA", s -> s.au().equals("ECDSA")), Map.entry("ECDSA", s -> s.au().equals("ECDSA")),
            Map.entry("aDSS", s -> s.au().equals("DSS")), Map.entry("DSS", s -> s.au().equals("DSS")),
            Map.entry("kPSK", s -> s.kx().equals("PSK")),
            Map.entry("PSK", s -> s.kx().contains("PSK") || s.au().equals("PSK")),
            Map.entry("SRP", s -> s.kx().equals("SRP")), Map.entry("kSRP", s -> s.kx().equals("SRP")),
            Map.entry("AES", s -> s.encName().startsWith("AES")),
            Map.entry("AES128", s -> s.encName().startsWith("AES") && s.bits() == 128),
            Map.entry("AES256", s -> s.encName().startsWith("AES") && s.bits() == 256),
            Map.entry("AESGCM", s -> s.encName().equals("AESGCM")),
            Map.entry("AESCCM", s -> s.encName().startsWith("AESCCM")),
            Map.entry("AESCCM8", s -> s.encName().equals("AESCCM8")),
            Map.entry("CHACHA20", s -> s.encName().startsWith("CHACHA20")),
            Map.entry("CAMELLIA", s -> s.encName().equals("CAMELLIA")),
            Map.entry("CAMELLIA128", s -> s.encName().equals("CAMELLIA") && s.bits() == 128),
            Map.entry("CAMELLIA256", s -> s.encName().equals("CAMELLIA") && s.bits() == 256),
            Map.entry("ARIA", s -> s.encName().startsWith("ARIA")),
            Map.entry("ARIAGCM", s -> s.encName().equals("ARIAGCM")),
            Map.entry("3DES", s -> false), Map.entry("DES", s -> false), Map.entry("RC4", s -> false),
            Map.entry("RC2", s -> false), Map.entry("IDEA", s -> false), Map.entry("SEED", s -> false),
            Map.entry("MD5", s -> s.mac().equals("MD5")),
            Map.entry("SHA1", s -> s.mac().equals("SHA1")), Map.entry("SHA", s -> s.mac().equals("SHA1")),
            Map.entry("SHA256", s -> s.mac().equals("SHA256")),
            Map.entry("SHA384", s -> s.mac().equals("SHA384")),
            Map.entry("TLSv1.2", s -> s.protocol().equals("TLSv1.2")),
            Map.entry("TLSv1.0", s -> s.protocol().equals("SSLv3")),
            Map.entry("TLSv1", s -> s.protocol().equals("SSLv3")),
            Map.entry("SSLv3", s -> s.protocol().equals("SSLv3")));

    private static Predicate<Suite> alias(String name) {
        return ALIASES.get(name);
    }

    private static List<Suite> load() {
        List<Suite> suites = new ArrayList<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(Objects.requireNonNull(
                OpenSslCiphers.class.getResourceAsStream("openssl-ciphers.txt")), StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                String[] f = line.split(" ");
                if (line.startsWith("#") || f.length != 9 || f[2].equals("TLSv1.3")) {
                    continue;
                }
                suites.add(new Suite(f[0], f[1], f[2], f[3], f[4], f[5], f[6], f[7],
                        f[8].equals("NOT_DEFAULT")));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Collections.unmodifiableList(suites);
    }
}
