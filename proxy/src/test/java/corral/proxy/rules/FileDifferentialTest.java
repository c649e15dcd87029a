package corral.proxy.rules;

import static org.junit.jupiter.api.Assertions.fail;

import corral.fixtures.RawHttp;
import corral.proxy.files.HttpTime;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Static files against real nginx 1.22 ({@code rules/files/files.conf}): root, alias (prefix,
 * a file, a regex with captures), index (several, absolute), try_files ($uri, $uri/, =code, a
 * URI, @name), types and default_type, etag, if_modified_since, conditional requests, byte
 * ranges (one, several, unsatisfiable, If-Range), gzip, expires and add_header, over GET, HEAD,
 * POST and DELETE. Both answer through real listeners; compared: status, the headers a file
 * answer carries, and the body of every 200 and 206 (gzip decoded, the multipart boundary
 * read out of each answer).
 */
class FileDifferentialTest {

    private static final List<String> HEADERS = List.of("content-type", "content-length", "last-modified", "etag",
            "accept-ranges", "location", "content-range", "content-encoding", "cache-control", "x-st", "vary");
    /** The files' mtime: fixed, so conditional requests can name it. */
    private static final long MTIME = 1_700_000_000L;

    @RegisterExtension
    static final NginxBeside started = new NginxBeside();

    @TempDir
    static Path dir;

    private static EchoUpstream app;
    private static SideBySide both;

    @BeforeAll
    static void start() throws Exception {
        Path www = Files.createDirectories(dir.resolve("www"));
        write(www.resolve("index.html"), "<h1>home</h1>\n");
        write(www.resolve("x.txt"), "0123456789abcdefghijklmnopqrstuvwxyz\n".repeat(20));
        write(www.resolve("a.css"), "body { color: red; }\n".repeat(30));
        write(www.resolve("b.js"), "var x = 1;\n");
        write(www.resolve("big.txt"), "a big text file, sent whole from its channel or compressed\n".repeat(3000));
        write(www.resolve("UPPER.HTML"), "<p>upper</p>\n");
        write(www.resolve("noext"), "no extension\n");
        write(www.resolve(".hidden"), "dot file\n");
        write(www.resolve("x y.txt"), "space\n");
        write(www.resolve("empty.txt"), "");
        write(www.resolve("dir/index.htm"), "<p>dir htm</p>\n");
        write(www.resolve("sub/index.html"), "<p>sub</p>\n");
        Files.createDirectories(www.resolve("bare"));
        write(www.resolve("ift/run.sh"), "#!/bin/sh\n");
        Files.setPosixFilePermissions(www.resolve("ift/run.sh"), java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        write(www.resolve("ift/plain.txt"), "plain\n");
        Files.createDirectories(www.resolve("ift/sub"));
        byte[] big = new byte[300_000];
        for (int i = 0; i < big.length; i++) {
            big[i] = (byte) (i * 31 + i / 7);
        }
        Files.write(www.resolve("big.bin"), big);
        Files.setLastModifiedTime(www.resolve("big.bin"), FileTime.fromMillis(MTIME * 1000));
        // followed, as nginx's disable_symlinks off: a file, and a directory outside the root
        Files.createSymbolicLink(www.resolve("link.txt"), www.resolve("x.txt"));
        Files.createSymbolicLink(www.resolve("linkdir"), dir.resolve("spa"));
        Files.createSymbolicLink(www.resolve("dangling"), dir.resolve("nowhere"));
        write(www.resolve("locked.txt"), "no one may read this\n");
        Files.setPosixFilePermissions(www.resolve("locked.txt"), java.nio.file.attribute.PosixFilePermissions.fromString("---------"));
        write(www.resolve("shut/inside.txt"), "behind a closed directory\n");
        Files.setPosixFilePermissions(www.resolve("shut"), java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        write(dir.resolve("spa/index.html"), "<p>spa shell</p>\n");
        write(dir.resolve("spa/app.js"), "app();\n");
        Files.createDirectories(dir.resolve("spa/assets"));
        app = started.add(new EchoUpstream("app"));
        String text = Files.readString(Path.of(FileDifferentialTest.class.getResource("/rules/files/files.conf").toURI()));
        both = started.add(SideBySide.start(dir, "files.conf", "app", app.port(),
                port -> text.replace("@PORT@", Integer.toString(port)).replace("@DIR@", dir.toString())));
    }

    private static void write(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text, StandardCharsets.ISO_8859_1);
        Files.setLastModifiedTime(file, FileTime.fromMillis(MTIME * 1000));
    }

    @AfterAll
    static void stop() throws IOException {
        Path shut = dir.resolve("www/shut");
        if (Files.exists(shut)) { // so that the temp directory can be deleted
            Files.setPosixFilePermissions(shut, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
        }
    }

    @Test
    void filesAnswerAsNginxDoes() throws IOException {
        List<String> mismatches = new ArrayList<>();
        List<String[]> cases = cases();
        for (String[] c : cases) {
            String nginx = describe(send(both.nginxPort, c), both.nginxPort);
            String corral = describe(send(both.corralPort, c), both.corralPort);
            if (!nginx.equals(corral)) {
                mismatches.add(String.join(" | ", c) + "\n    nginx:  " + nginx + "\n    corral: " + corral);
            }
        }
        if (!mismatches.isEmpty()) {
            fail(mismatches.size() + " of " + cases.size() + " requests differ:\n"
                    + String.join("\n", mismatches.subList(0, Math.min(25, mismatches.size()))));
        }
    }

    /** Method, target, then extra header lines. */
    private static List<String[]> cases() {
        List<String[]> cases = new ArrayList<>();
        List<String> paths = List.of("/", "/index.html", "/x.txt", "/a.css", "/b.js", "/UPPER.HTML", "/noext",
                "/.hidden", "/x%20y.txt", "/empty.txt", "/dir", "/dir/", "/dir?a=1", "/sub/", "/bare/", "/bare",
                "/missing", "/missing/", "/x.txt/", "/x.txt/y", "/big.bin", "/x%20y", "/st/", "/st/x.txt",
                "/st/dir", "/st/dir/", "/st/missing", "/one", "/one/", "/img/a.css", "/img/dir", "/img/sub/",
                "/spa/", "/spa/app.js", "/spa/deep/link?x=1", "/spa/assets", "/spa/assets/", "/tf/x.txt",
                "/tf/missing", "/tf/", "/tfd/", "/tfd/x.txt", "/tfd/nothing", "/named/x", "/noetag/x.txt",
                "/typed/x.txt", "/typed/noext", "/typed/a.css", "/gz/x.txt", "/gz/a.css", "/gz/b.js",
                "/idx/", "/idx/dir/", "/brk/x.txt", "/api/x", "/iff/x.txt", "/iff/nothing", "/iff/dir",
                "/ift/sub", "/ift/run.sh", "/ift/plain.txt", "/ift/plain.txt?e=x.txt", "/ift/none",
                "/ift/none?e=dir", "/ift/none?e=nope", "/link.txt", "/linkdir", "/linkdir/", "/linkdir/app.js",
                "/dangling", "/locked.txt", "/shut/inside.txt", "/shut/", "/shut", "/tf/locked.txt");
        for (String p : paths) {
            cases.add(new String[] {"GET", p});
        }
        // a server's try_files: for what no location takes, and not inherited by its locations
        for (String p : List.of("/x.txt", "/", "/sub/", "/sub", "/missing", "/api/x", "/loc/x.txt", "/loc/missing")) {
            cases.add(new String[] {"GET", p, "Host: tf.test"});
        }
        for (String p : List.of("/x.txt", "/", "/dir", "/missing", "/st/x.txt", "/spa/deep")) {
            cases.add(new String[] {"HEAD", p});
            cases.add(new String[] {"POST", p, "Content-Length: 0"});
            cases.add(new String[] {"DELETE", p});
        }
        String lm = HttpTime.format(MTIME);
        String etag = "\"" + Long.toHexString(MTIME) + "-" + Long.toHexString(740) + "\"";
        for (String p : List.of("/x.txt", "/ims/x.txt", "/imsoff/x.txt", "/noetag/x.txt")) {
            cases.add(new String[] {"GET", p, "If-Modified-Since: " + lm});
            cases.add(new String[] {"GET", p, "If-Modified-Since: " + HttpTime.format(MTIME + 10)});
            cases.add(new String[] {"GET", p, "If-Modified-Since: " + HttpTime.format(MTIME - 10)});
            cases.add(new String[] {"GET", p, "If-Modified-Since: yesterday"});
            cases.add(new String[] {"GET", p, "If-None-Match: " + etag});
            cases.add(new String[] {"GET", p, "If-None-Match: W/" + etag});
            cases.add(new String[] {"GET", p, "If-None-Match: \"other\", " + etag});
            cases.add(new String[] {"GET", p, "If-None-Match: *"});
            cases.add(new String[] {"GET", p, "If-None-Match: \"other\""});
            cases.add(new String[] {"GET", p, "If-None-Match: " + etag, "If-Modified-Since: " + HttpTime.format(MTIME - 10)});
            cases.add(new String[] {"HEAD", p, "If-None-Match: " + etag});
            cases.add(new String[] {"GET", p, "If-Match: \"other\""});
            cases.add(new String[] {"GET", p, "If-Match: " + etag});
            cases.add(new String[] {"GET", p, "If-Unmodified-Since: " + HttpTime.format(MTIME - 10)});
            cases.add(new String[] {"GET", p, "If-Unmodified-Since: " + lm});
        }
        for (String p : List.of("/x.txt", "/big.bin", "/gz/x.txt", "/st/x.txt", "/empty.txt")) {
            for (String range : List.of("bytes=0-9", "bytes=-5", "bytes=700-", "bytes=0-1,4-6", "bytes=5-2",
                    "bytes=100000-", "bytes=abc", "bytes=0-0,-1", "bytes= 3 - 4 ", "bytes=0-9999999",
                    "bytes=0-,0-", "bytes=10-20,30-40,50-60", "BYTES=1-2", "items=1-2", "bytes=-0",
                    "bytes=200000-200010,299990-")) {
                cases.add(new String[] {"GET", p, "Range: " + range});
            }
            cases.add(new String[] {"HEAD", p, "Range: bytes=0-9"});
            cases.add(new String[] {"HEAD", p, "Range: bytes=0-1,4-6"});
            cases.add(new String[] {"GET", p, "Range: bytes=0-1,4-6", "If-Range: " + etag});
            cases.add(new String[] {"GET", p, "Range: bytes=0-9", "If-Range: " + etag});
            cases.add(new String[] {"GET", p, "Range: bytes=0-9", "If-Range: \"other\""});
            cases.add(new String[] {"GET", p, "Range: bytes=0-9", "If-Range: " + lm});
            cases.add(new String[] {"GET", p, "Range: bytes=0-9", "If-Range: " + HttpTime.format(MTIME + 1)});
        }
        for (String p : List.of("/gz/x.txt", "/gz/a.css", "/gz/b.js", "/gz/noext", "/gz/big.txt", "/big.txt")) {
            cases.add(new String[] {"GET", p, "Accept-Encoding: gzip"});
            cases.add(new String[] {"HEAD", p, "Accept-Encoding: gzip"});
            cases.add(new String[] {"GET", p, "Accept-Encoding: gzip", "Range: bytes=0-9"});
            cases.add(new String[] {"GET", p, "Accept-Encoding: gzip", "If-None-Match: W/" + etag});
        }
        return cases;
    }

    private static RawHttp.Response send(int port, String[] c) throws IOException {
        boolean host = java.util.Arrays.stream(c).anyMatch(h -> h.startsWith("Host:"));
        StringBuilder head = new StringBuilder(c[0] + " " + c[1] + " HTTP/1.1\r\n" + (host ? "" : "Host: files.test\r\n"));
        for (int i = 2; i < c.length; i++) {
            head.append(c[i]).append("\r\n");
        }
        return RawHttp.send(port, head.append("Connection: close\r\n\r\n").toString());
    }

    /** Status, the compared headers (ports and boundaries made neutral) and, for 200 and 206, the body. */
    private static String describe(RawHttp.Response r, int port) throws IOException {
        if (!r.answered()) {
            return "no answer (" + r.how() + ")";
        }
        String type = r.header("Content-Type").orElse("");
        String boundary = type.startsWith("multipart/byteranges; boundary=") ? type.substring(31) : null;
        StringBuilder out = new StringBuilder().append(r.status());
        boolean file = (r.status() == 200 || r.status() == 206 || r.status() == 304) && r.header("X-Echo").isEmpty();
        for (String name : HEADERS) {
            if (name.equals("content-length") && !file) {
                continue; // nginx's error pages carry its version line, Corral's none; the echo shows the headers sent
            }
            List<String> values = r.headers().stream().filter(h -> h.name().equalsIgnoreCase(name))
                    .map(RawHttp.Header::value).toList();
            if (!values.isEmpty()) {
                String v = String.join(", ", values).replace(":" + port + "/", ":PORT/");
                out.append(' ').append(name).append('=').append(boundary == null ? v : v.replace(boundary, "B"));
            }
        }
        if (file) {
            String body = r.body();
            if (r.header("Content-Encoding").orElse("").equals("gzip") && !body.isEmpty()) {
                body = new String(new GZIPInputStream(new ByteArrayInputStream(body.getBytes(StandardCharsets.ISO_8859_1)))
                        .readAllBytes(), StandardCharsets.ISO_8859_1);
            }
            if (boundary != null) {
                body = body.replace(boundary, "B");
            }
            out.append(" body(").append(body.length()).append(")=")
                    .append(Integer.toHexString(body.hashCode())).append(' ')
                    .append(body.length() > 40 ? body.substring(0, 40) : body);
        }
        if (r.header("X-Echo").isPresent()) {
            out.append(" proxied");
        }
        return out.toString();
    }
}
