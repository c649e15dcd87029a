package corral.proxy.badinput;

import java.util.ArrayList;
import java.util.List;

/**
 * The hostile-framing corpus: requests whose framing, version, head syntax or target is
 * ambiguous, from RFC 9112 §2–7 and RFC 3986 §5.2.4, PortSwigger's "HTTP Desync Attacks" and
 * "Browser-Powered Desync Attacks" (obfuscated Transfer-Encoding, CL.TE, TE.CL, CL.0), the HTTP
 * Garden's findings (bare CR, obs-fold, chunk-size and chunk-extension abuse, NUL and other CTLs)
 * and nginx's own tests (duplicate headers, HTTP/1.0 with Transfer-Encoding, 505), plus the
 * legitimate requests beside them that must still pass.
 *
 * <p>In a request, {@code {A}} and {@code {B}} stand for markers of requests the client really
 * sent; {@code {H}} for a marker hidden where only a reader that frames the bytes differently
 * would find a request. The runner puts a marker unique to case, listener and front end in their
 * place and then counts them in what the instances logged.
 */
final class FramingCorpus {

    /**
     * One request (or pipeline) and what must come of it.
     *
     * @param name        what it is
     * @param source      where it comes from: the RFC clause, or the research it repeats
     * @param request     the bytes, ISO-8859-1, with {@code {A}}, {@code {B}}, {@code {H}} markers
     * @param status      the first answer's status from Corral; 0 when it must only close
     * @param reaches     the markers (letters) an instance must receive, each exactly once; the
     *                    others must never reach it
     * @param nginxStatus nginx's status where it differs from Corral's, else -1
     * @param nginxReaches what reaches nginx's instance where that differs, else null
     * @param why         why Corral and nginx differ (docs/http-strictness.md says it too)
     */
    record Case(String name, String source, String request, int status, String reaches,
                int nginxStatus, String nginxReaches, String why) {

        boolean refused() {
            return status == 0 || status >= 400;
        }

        int statusFor(boolean nginx) {
            return nginx && nginxStatus >= 0 ? nginxStatus : status;
        }

        String reachesFor(boolean nginx) {
            return nginx && nginxReaches != null ? nginxReaches : reaches;
        }

        boolean refusedBy(boolean nginx) {
            int s = statusFor(nginx);
            return s == 0 || s >= 400;
        }

        /** Same request, nginx differs. */
        Case nginx(int otherStatus, String otherReaches, String reason) {
            return new Case(name, source, request, status, reaches, otherStatus, otherReaches, reason);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    private static final List<Case> CASES = new ArrayList<>();

    private FramingCorpus() {
    }

    static List<Case> all() {
        return List.copyOf(CASES);
    }

    /** The request made of {@code lines}, each ended by CRLF (a body is the last "line", after ""). */
    static String http(String... lines) {
        return String.join("\r\n", lines);
    }

    private static Case ok(String name, String source, String request, String reaches) {
        Case c = new Case(name, source, request, 200, reaches, -1, null, null);
        CASES.add(c);
        return c;
    }

    private static Case refused(String name, String source, int status, String request) {
        Case c = new Case(name, source, request, status, "", -1, null, null);
        CASES.add(c);
        return c;
    }

    private static void differs(Case c, int nginxStatus, String nginxReaches, String why) {
        CASES.set(CASES.indexOf(c), c.nginx(nginxStatus, nginxReaches, why));
    }

    private static final String HIDDEN = "GET /h5/page/{H} HTTP/1.1\r\nHost: a\r\n\r\n";

    static {
        legitimate();
        transferEncoding();
        contentLength();
        chunkedBodies();
        requestLines();
        headerSyntax();
        targets();
    }

    /** What must keep working: each reaches the instance exactly once. */
    private static void legitimate() {
        String rfc = "RFC 9112 §3, §6";
        ok("plain GET", rfc, http("GET /h5/page/{A} HTTP/1.1", "Host: a", "", ""), "A");
        ok("POST with Content-Length", rfc, http("POST /h5/echo?{A} HTTP/1.1", "Host: a", "Content-Length: 3", "", "abc"), "A");
        ok("POST chunked", rfc, http("POST /h5/echo?{A} HTTP/1.1", "Host: a", "Transfer-Encoding: chunked", "",
                "3\r\nabc\r\n0\r\n\r\n"), "A");
        ok("Transfer-Encoding in another case: Chunked", "RFC 9110 §10.1.4 (codings are case-insensitive)",
                http("POST /h5/echo?{A} HTTP/1.1", "Host: a", "Transfer-Encoding: Chunked", "", "3\r\nabc\r\n0\r\n\r\n"), "A");
        differs(ok("Transfer-Encoding with OWS around chunked", "RFC 9110 §5.5, §5.6.3",
                http("POST /h5/echo?{A} HTTP/1.1", "Host: a", "Transfer-Encoding: \tchunked ", "", "3\r\nabc\r\n0\r\n\r\n"), "A"),
                501, "", "Undertow's parser drops the OWS around a field value before any handler runs, as RFC 9110 §5.5"
                        + " says it is not part of the value; nginx compares the raw bytes with \"chunked\"");
        ok("a chunk extension", "RFC 9112 §7.1.1",
                http("POST /h5/echo?{A} HTTP/1.1", "Host: a", "Transfer-Encoding: chunked", "", "3;name=value\r\nabc\r\n0\r\n\r\n"), "A");
        ok("a trailer section", "RFC 9112 §7.1.2",
                http("POST /h5/echo?{A} HTTP/1.1", "Host: a", "Transfer-Encoding: chunked", "", "3\r\nabc\r\n0\r\nX-Sum: 1\r\n\r\n"), "A");
        ok("a chunk-size line ended by a lone LF", "RFC 9112 §2.2 (a recipient MAY take LF alone as a line end)",
                http("POST /h5/echo?{A} HTTP/1.1", "Host: a", "Transfer-Encoding: chunked", "", "3;x\nabc\r\n0\r\n\r\n"
                        + "GET /h5/page/{B} HTTP/1.1", "Host: a", "", ""), "AB");
        ok("chunk data ended by a lone LF", "RFC 9112 §2.2 (a recipient MAY take LF alone as a line end)",
                http("POST /h5/echo?{A} HTTP/1.1", "Host: a", "Transfer-Encoding: chunked", "", "3\r\nabc\n0\r\n\r\n"
                        + "GET /h5/page/{B} HTTP/1.1", "Host: a", "", ""), "AB");
        ok("upper-case hex chunk size", "RFC 9112 §7.1",
                http("POST /h5/echo?{A} HTTP/1.1", "Host: a", "Transfer-Encoding: chunked", "", "A\r\n0123456789\r\n0\r\n\r\n"), "A");
        ok("Content-Length with leading zeros", "RFC 9110 §8.6 (1*DIGIT)",
                http("POST /h5/echo?{A} HTTP/1.1", "Host: a", "Content-Length: 003", "", "abc"), "A");
        ok("Content-Length: 0 on a GET", rfc, http("GET /h5/page/{A} HTTP/1.1", "Host: a", "Content-Length: 0", "", ""), "A");
        ok("HTTP/1.0 without Host", "RFC 9112 §3.2 (Host is required in 1.1 only)",
                http("GET /h5/page/{A} HTTP/1.0", "", ""), "A");
        ok("two pipelined GETs", "RFC 9112 §9.3.2",
                http("GET /h5/page/{A} HTTP/1.1", "Host: a", "", "GET /h5/page/{B} HTTP/1.1", "Host: a", "", ""), "AB");
        ok("a chunked POST, then a pipelined GET", "RFC 9112 §9.3.2",
                http("POST /h5/echo?{A} HTTP/1.1", "Host: a", "Transfer-Encoding: chunked", "", "3\r\nabc\r\n0\r\n\r\n"
                        + "GET /h5/page/{B} HTTP/1.1", "Host: a", "", ""), "AB");
        ok("a request in the body of a GET (CL.0)", "PortSwigger, Browser-Powered Desync: CL.0",
                http("GET /h5/page/{A} HTTP/1.1", "Host: a", "Content-Length: " + HIDDEN.length(), "", HIDDEN), "A");
        ok("Connection: close, then a pipelined GET that must not be read", "RFC 9112 §9.6",
                http("GET /h5/page/{A} HTTP/1.1", "Host: a", "Connection: close", "", HIDDEN), "A");
        ok("Transfer_Encoding with an underscore is just another field", "PortSwigger, HTTP Desync Attacks (TE obfuscation)",
                http("POST /h5/echo?{A} HTTP/1.1", "Host: a", "Transfer_Encoding: chunked", "Content-Length: "
                        + ("0\r\n\r\n" + HIDDEN).length(), "", "0\r\n\r\n" + HIDDEN), "A");
    }

    /** RFC 9112 §6.1 and the obfuscated spellings of PortSwigger's TE.TE family. */
    private static void transferEncoding() {
        String te = "RFC 9112 §6.1; PortSwigger, HTTP Desync Attacks (TE.TE obfuscation)";
        for (String value : List.of("xchunked", "chunked, identity", "identity, chunked", "gzip, chunked", "chunked, chunked",
                "chunked;q=1", "\"chunked\"", "chunk", "identity", "chunked\u00ff", "x", "chunked ,")) {
            refused("Transfer-Encoding: " + value.replace("\u00ff", "\\xff"), te, 501,
                    http("POST /h5/echo?{A} HTTP/1.1", "Host: a", "Transfer-Encoding: " + value, "", "0\r\n\r\n" + HIDDEN));
        }
        differs(refused("unknown Transfer-Encoding beside Content-Length (TE.CL)", te, 400,
                http("POST /h5/echo?{A} HTTP/1.1", "Host: a", "Content-Length: 5", "Transfer-Encoding: xchunked", "",
                        "0\r\n\r\n" + HIDDEN)), 501, "", "Undertow's parser refuses any request with both fields (400) before a"
                        + " handler could look at the coding; nginx looks at the coding first (501). Both refuse it");
        refused("Transfer-Encoding twice: chunked, identity", "RFC 9112 §6.1; nginx: duplicate header", 400,
                http("POST /h5/echo?{A} HTTP/1.1", "Host: a", "Transfer-Encoding: chunked", "Transfer-Encoding: identity", "",
                        "0\r\n\r\n" + HIDDEN));
        refused("Transfer-Encoding twice: chunked, chunked", "RFC 9112 §6.1; nginx: duplicate header", 400,
                http("POST /h5/echo?{A} HTTP/1.1", "Host: a", "Transfer-Encoding: chunked", "Transfer-Encoding: chunked", "",
                        "0\r\n\r\n" + HIDDEN));
        refused("Content-Length then Transfer-Encoding (CL.TE)", "RFC 9112 §6.3 item 3; PortSwigger CL.TE", 400,
                http("POST /h5/echo?{A} HTTP/1.1", "Host: a", "Content-Length: 6", "Transfer-Encoding: chunked", "",
                        "0\r\n\r\nX" + HIDDEN));
        refused("Transfer-Encoding then Content-Length (TE.CL)", "RFC 9112 §6.3 item 3; PortSwigger TE.CL", 400,
                http("POST /h5/echo?{A} HTTP/1.1", "Host: a", "Transfer-Encoding: chunked", "Content-Length: 4", "",
                        Integer.toHexString(HIDDEN.length()) + "\r\n" + HIDDEN + "\r\n0\r\n\r\n"));
        refused("Transfer-Encoding in HTTP/1.0", "RFC 9112 §6.1 (faulty framing)", 400,
                http("POST /h5/echo?{A} HTTP/1.0", "Host: a", "Transfer-Encoding: chunked", "", "0\r\n\r\n" + HIDDEN));
        refused("Transfer-Encoding in HTTP/1.0 beside Content-Length", "RFC 9112 §6.1", 400,
                http("POST /h5/echo?{A} HTTP/1.0", "Host: a", "Transfer-Encoding: chunked", "Content-Length: 5", "",
                        "0\r\n\r\n" + HIDDEN));
        refused("space before the colon of Transfer-Encoding", "RFC 9112 §5.1 (MUST 400)", 400,
                http("POST /h5/echo?{A} HTTP/1.1", "Host: a", "Transfer-Encoding : chunked", "Content-Length: 5", "",
                        "0\r\n\r\n" + HIDDEN));
        refused("tab before the colon of Transfer-Encoding", "RFC 9112 §5.1 (MUST 400)", 400,
                http("POST /h5/echo?{A} HTTP/1.1", "Host: a", "Transfer-Encoding\t: chunked", "Content-Length: 5", "",
                        "0\r\n\r\n" + HIDDEN));
        refused("Transfer-Encoding hidden behind a bare CR", "RFC 9112 §2.2; HTTP Garden", 400,
                http("POST /h5/echo?{A} HTTP/1.1", "Host: a", "X: a\rTransfer-Encoding: chunked", "Content-Length: 5", "",
                        "0\r\n\r\n" + HIDDEN));
        differs(refused("Transfer-Encoding with a vertical tab", "RFC 9110 §5.5 (CTL in a field value)", 400,
                http("POST /h5/echo?{A} HTTP/1.1", "Host: a", "Transfer-Encoding: \u000bchunked", "", "0\r\n\r\n" + HIDDEN)),
                501, "", "a CTL is no field-vchar (RFC 9110 §5.5): Undertow's parser refuses the line; nginx takes the value"
                        + " and refuses the coding");
    }

    /** RFC 9110 §8.6, RFC 9112 §6.3. */
    private static void contentLength() {
        String cl = "RFC 9110 §8.6; RFC 9112 §6.3 item 5";
        for (String value : List.of("-1", "+3", "3, 3", "3, 44", "0x3", "3.0", "3 3", "99999999999999999999", "abc", "")) {
            refused("Content-Length: " + value, cl, 400,
                    http("POST /h5/echo?{A} HTTP/1.1", "Host: a", "Content-Length: " + value, "", "abc" + HIDDEN));
        }
        refused("Content-Length twice, same value", cl + "; nginx: duplicate header", 400,
                http("POST /h5/echo?{A} HTTP/1.1", "Host: a", "Content-Length: 3", "Content-Length: 3", "", "abc" + HIDDEN));
        refused("Content-Length twice, two values", cl + "; PortSwigger CL.CL", 400,
                http("POST /h5/echo?{A} HTTP/1.1", "Host: a", "Content-Length: 0", "Content-Length: " + HIDDEN.length(), "",
                        HIDDEN));
        refused("space before the colon of Content-Length", "RFC 9112 §5.1 (MUST 400)", 400,
                http("POST /h5/echo?{A} HTTP/1.1", "Host: a", "Content-Length : 3", "", "abc" + HIDDEN));
        refused("Content-Length with a NUL", "RFC 9110 §5.5", 400,
                http("POST /h5/echo?{A} HTTP/1.1", "Host: a", "Content-Length: 3\u0000", "", "abc" + HIDDEN));
    }

    /** RFC 9112 §7.1: chunk-size, extensions, terminators. */
    private static void chunkedBodies() {
        String ch = "RFC 9112 §7.1; HTTP Garden (chunk parsing)";
        List<String[]> bodies = List.of(
                new String[] {"chunk size not hex", "g\r\nabc\r\n0\r\n\r\n"},
                new String[] {"chunk size with 0x", "0x3\r\nabc\r\n0\r\n\r\n"},
                new String[] {"chunk size negative", "-3\r\nabc\r\n0\r\n\r\n"},
                new String[] {"chunk size overflowing 64 bits", "fffffffffffffffff1\r\nabc\r\n0\r\n\r\n"},
                new String[] {"chunk size with a leading space", " 3\r\nabc\r\n0\r\n\r\n"},
                new String[] {"chunk longer than its size", "3\r\nabcdef\r\n0\r\n\r\n"},
                new String[] {"chunk without CRLF after its data", "3\r\nabc0\r\n\r\n"},
                new String[] {"chunk data ended by a bare CR", "3\r\nabc\r0\r\n\r\n"},
                new String[] {"chunk-size line ended by a bare CR", "3\rabc\r\n0\r\n\r\n"},
                new String[] {"chunk extension with a quoted CRLF", "3;x=\"\r\n\"\r\nabc\r\n0\r\n\r\n"},
                new String[] {"empty chunk size", "\r\nabc\r\n0\r\n\r\n"});
        for (String[] b : bodies) {
            refused(b[0], ch, 400, http("POST /h5/echo?{A} HTTP/1.1", "Host: a", "Transfer-Encoding: chunked", "", b[1] + HIDDEN));
        }
    }

    /** RFC 9112 §3: method, target, version. */
    private static void requestLines() {
        String rl = "RFC 9112 §2.3, RFC 9110 §15.6.6";
        differs(ok("HTTP/9.9", rl, http("GET /h5/page/{A} HTTP/9.9", "Host: a", "", ""), "A"), 505, "",
                "not refusable without a parser change: Undertow's RequestParser.parseVersion reads any well-formed"
                        + " version it does not know as HTTP/1.1 before a handler runs, and the instance gets an HTTP/1.1"
                        + " request from Corral (no desync); nginx answers 505");
        differs(refused("HTTP/2.0 in a text request", rl, 400, http("GET /h5/page/{A} HTTP/2.0", "Host: a", "", "")), 505, "",
                "Undertow's parser refuses HTTP/2.0 on an HTTP/1 connection itself (400); nginx 505. Both refuse it");
        refused("HTTP/1.1 in lower case", "RFC 9112 §2.3 (HTTP-name is case-sensitive)", 400,
                http("GET /h5/page/{A} http/1.1", "Host: a", "", ""));
        differs(refused("HTTP/1.10", "RFC 9112 §2.3 (HTTP-version = HTTP-name \"/\" DIGIT \".\" DIGIT)", 400,
                http("GET /h5/page/{A} HTTP/1.10", "Host: a", "", "")), 200, "A",
                "not an HTTP-version by RFC 9112 §2.3: Undertow's parser refuses it; nginx reads it as HTTP/1.10 and serves it");
        refused("HTTP/0.9 with headers", rl, 400, http("GET /h5/page/{A} HTTP/0.9", "Host: a", "", ""));
        refused("NUL in the target", "RFC 9112 §3.2", 400, http("GET /h5/page/{A}\u0000x HTTP/1.1", "Host: a", "", ""));
        refused("a control byte in the target", "RFC 9112 §3.2", 400, http("GET /h5/page/{A}\u0001x HTTP/1.1", "Host: a", "", ""));
        refused("DEL in the target", "RFC 9112 §3.2", 400, http("GET /h5/page/{A}\u007fx HTTP/1.1", "Host: a", "", ""));
        refused("a bare CR in the request line", "RFC 9112 §2.2", 400, http("GET /h5/page/{A}\r HTTP/1.1", "Host: a", "", ""));
        refused("a tab in the target", "RFC 9112 §3.2", 400, http("GET /h5/page/{A}\tx HTTP/1.1", "Host: a", "", ""));
        refused("a method with a control byte", "RFC 9110 §9.1 (method = token)", 400,
                http("G\u0001T /h5/page/{A} HTTP/1.1", "Host: a", "", ""));
        refused("no target", "RFC 9112 §3", 400, http("GET HTTP/1.1", "Host: a", "", ""));
        refused("asterisk target with GET", "RFC 9112 §3.2.4 (OPTIONS only)", 400, http("GET * HTTP/1.1", "Host: a", "", ""));
    }

    /** RFC 9112 §5, RFC 9110 §5.5. */
    private static void headerSyntax() {
        String f = "RFC 9112 §5; RFC 9110 §5.5";
        String unfolds = "not refusable without a parser change: Undertow's RequestParser.parseFieldValue replaces an"
                + " obs-fold with one SP before a handler runs (the other choice RFC 9112 §5.2 allows a server), so the"
                + " instance gets one unfolded line and frames the message as Corral did; nginx answers 400";
        differs(ok("obs-fold continuing a field", "RFC 9112 §5.2; HTTP Garden",
                http("GET /h5/page/{A} HTTP/1.1", "Host: a", "X-A: 1", " folded", "", ""), "A"), 400, "", unfolds);
        // Unfolded, "Transfer-Encoding: chunked" is part of X-A's value: Content-Length frames the body
        // and what follows is a second request, read as such by Corral and by the instance alike.
        differs(ok("obs-fold hiding Transfer-Encoding", "RFC 9112 §5.2; PortSwigger (TE obfuscation)",
                http("POST /h5/echo?{A} HTTP/1.1", "Host: a", "X-A: 1", " Transfer-Encoding: chunked", "Content-Length: 5", "",
                        "0\r\n\r\n" + HIDDEN), "AH"), 400, "", unfolds);
        refused("a field line that starts with whitespace before the first field", "RFC 9112 §2.2", 400,
                http("GET /h5/page/{A} HTTP/1.1", " Host: a", "", ""));
        refused("space in a field name", f, 400, http("GET /h5/page/{A} HTTP/1.1", "Host: a", "X A: 1", "", ""));
        refused("NUL in a field name", f, 400, http("GET /h5/page/{A} HTTP/1.1", "Host: a", "X\u0000A: 1", "", ""));
        refused("NUL in a field value", f, 400, http("GET /h5/page/{A} HTTP/1.1", "Host: a", "X-A: 1\u00002", "", ""));
        refused("a control byte in a field value", f, 400, http("GET /h5/page/{A} HTTP/1.1", "Host: a", "X-A: 1\u00012", "", ""));
        refused("DEL in a field value", f, 400, http("GET /h5/page/{A} HTTP/1.1", "Host: a", "X-A: 1\u007f2", "", ""));
        refused("a bare CR in a field value", "RFC 9112 §2.2", 400,
                http("GET /h5/page/{A} HTTP/1.1", "Host: a", "X-A: 1\r2", "", ""));
        refused("a field line without a colon", f, 400, http("GET /h5/page/{A} HTTP/1.1", "Host: a", "X-A 1", "", ""));
        refused("an empty field name", f, 400, http("GET /h5/page/{A} HTTP/1.1", "Host: a", ": 1", "", ""));
        refused("HTTP/1.1 without Host", "RFC 9112 §3.2 (MUST 400)", 400, http("GET /h5/page/{A} HTTP/1.1", "", ""));
        refused("two Host fields", "RFC 9112 §3.2 (MUST 400)", 400,
                http("GET /h5/page/{A} HTTP/1.1", "Host: a", "Host: b", "", ""));
        refused("a Host with a space", "RFC 9110 §7.2; RFC 3986 §3.2.2", 400,
                http("GET /h5/page/{A} HTTP/1.1", "Host: a b", "", ""));
        refused("a Host with a slash", "RFC 9110 §7.2; RFC 3986 §3.2.2", 400,
                http("GET /h5/page/{A} HTTP/1.1", "Host: a/b", "", ""));
    }

    /** RFC 3986 §5.2.4 on every listener. */
    private static void targets() {
        String ds = "RFC 3986 §5.2.4";
        for (String path : List.of("/h5/page/../../../etc/passwd?{A}", "/h5/%2e%2e/%2e%2e/%2e%2e/etc/passwd?{A}",
                "/h5/..%2f..%2f..%2fetc/passwd?{A}", "/..?{A}", "/%2e%2e/?{A}", "/h5/page/%2E%2E%2F%2E%2E%2F%2E%2E%2Fx?{A}",
                "/h5/./../../x?{A}", "http://a/h5/../../x?{A}")) {
            refused("above the root: " + path.replace("?{A}", ""), ds, 400, http("GET " + path + " HTTP/1.1", "Host: a", "", ""));
        }
        refused("a %00 in the path", ds + "; nginx", 400, http("GET /h5/page/{A}%00 HTTP/1.1", "Host: a", "", ""));
        refused("a bad %-escape in the path", "RFC 3986 §2.1", 400, http("GET /h5/page/{A}%zz HTTP/1.1", "Host: a", "", ""));
        refused("a cut %-escape at the end of the path", "RFC 3986 §2.1", 400,
                http("GET /h5/page/{A}%2 HTTP/1.1", "Host: a", "", ""));
        String nginxRaw = "nginx resolves dot-segments to match locations but sends the target as received (proxy_pass without a"
                + " URI); Corral sends the resolved path, so an instance never sees a dot-segment (issue 11)";
        for (String path : List.of("/h5/page/../page/{A}", "/h5/page/%2e%2e/page/{A}", "/h5/./page/{A}", "/h5/page/x/..%2f{A}",
                "/h5/x/%2E%2E%2Fpage/{A}")) {
            // node's URL parser resolves "." and ".." but not "%2f": nginx's raw target then misses its route (404).
            differs(ok("dot-segments resolved: " + path.replace("{A}", ""), ds,
                    http("GET " + path + " HTTP/1.1", "Host: a", "", ""), "A"),
                    path.toLowerCase(java.util.Locale.ROOT).contains("%2f") ? 404 : -1, null, nginxRaw);
        }
    }
}
