package corral.workers.logs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogFileTest {

    @TempDir
    Path dir;

    /** logrotate's copytruncate: with O_APPEND the next line lands at offset 0, never after a hole of NULs. */
    @Test
    void aTruncatedFileGetsTheNextLinesFromItsStartNotASparseHole() throws IOException {
        Path path = dir.resolve("app.log");
        try (LogFile log = new LogFile(path)) {
            log.open();
            line(log, "before truncation, a line long enough to leave a visible hole");
            log.flush();
            try (FileChannel truncate = FileChannel.open(path, StandardOpenOption.WRITE)) {
                truncate.truncate(0);
            }
            line(log, "after");
            log.flush();
        }
        assertEquals("after\n", Files.readString(path, StandardCharsets.US_ASCII));
    }

    private static void line(LogFile log, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
        log.writeLine(new byte[0], bytes, bytes.length);
    }
}
