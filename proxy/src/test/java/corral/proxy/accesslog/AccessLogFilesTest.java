package corral.proxy.accesslog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AccessLogFilesTest {

    @TempDir
    Path dir;

    private AccessLogTarget target(String name) {
        return new AccessLogTarget(dir.resolve(name), LogFormat.COMBINED, 0, AccessLogTarget.UNBUFFERED_FLUSH, null);
    }

    private static List<String> lines(Path file) throws IOException {
        return Files.readAllLines(file, StandardCharsets.ISO_8859_1);
    }

    @Test
    void reopenWritesTheNextLinesToANewFileOfTheSameNameAsLogrotateExpects() throws IOException {
        try (AccessLogFiles files = new AccessLogFiles()) {
            files.use(List.of(target("a.log")));
            files.write(dir.resolve("a.log"), "first \u00E9");
            files.flush();
            Files.move(dir.resolve("a.log"), dir.resolve("a.log.1"));
            files.reopen();
            assertTrue(Files.exists(dir.resolve("a.log")), "the new file exists at once");
            files.write(dir.resolve("a.log"), "second");
            files.flush();
            assertEquals(List.of("first \u00E9"), lines(dir.resolve("a.log.1")));
            assertEquals(List.of("second"), lines(dir.resolve("a.log")));
        }
    }

    @Test
    void aFileNoLongerNamedIsClosedAndItsLinesGoNowhere() throws IOException {
        try (AccessLogFiles files = new AccessLogFiles()) {
            files.use(List.of(target("a.log"), target("b.log")));
            files.use(List.of(target("b.log")));
            files.write(dir.resolve("a.log"), "dropped");
            files.write(dir.resolve("b.log"), "kept");
            files.flush();
            assertEquals(List.of(), lines(dir.resolve("a.log")));
            assertEquals(List.of("kept"), lines(dir.resolve("b.log")));
        }
    }

    @Test
    void aFileThatCannotBeOpenedIsNamedAndNothingChanges() throws IOException {
        try (AccessLogFiles files = new AccessLogFiles()) {
            files.use(List.of(target("a.log")));
            Files.writeString(dir.resolve("plain-file"), "");
            AccessLogTarget bad = new AccessLogTarget(dir.resolve("plain-file/x.log"), LogFormat.COMBINED, 0,
                    AccessLogTarget.UNBUFFERED_FLUSH, null);
            IOException e = assertThrows(IOException.class, () -> files.use(List.of(bad)));
            assertTrue(e.getMessage().contains("plain-file/x.log"), e.getMessage());
            files.write(dir.resolve("a.log"), "still open");
            files.flush();
            assertEquals(List.of("still open"), lines(dir.resolve("a.log")));
        }
    }
}
