package corral.proxy.control;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code bin/control logs --follow}: what one poll prints of a growing log file. */
class LogTailTest {

    @TempDir
    Path dir;

    final ByteArrayOutputStream printed = new ByteArrayOutputStream();
    final PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8);

    String printedSoFar() {
        String text = printed.toString(StandardCharsets.UTF_8);
        printed.reset();
        return text;
    }

    @Test
    void aLineStillBeingWrittenIsPrintedOnceWholeAndARotatedFileFromItsStart() throws Exception {
        Path log = Files.writeString(dir.resolve("h5-out-0.log"), "one\ntw");

        long next = LogTail.printNew(log, 0, out);
        assertEquals("h5-out-0.log | one\n", printedSoFar());
        assertEquals(4, next);

        assertEquals(next, LogTail.printNew(log, next, out), "nothing whole yet");
        assertEquals("", printedSoFar());

        Files.writeString(log, "o\nthree\n", StandardOpenOption.APPEND);
        next = LogTail.printNew(log, next, out);
        assertEquals("h5-out-0.log | two\nh5-out-0.log | three\n", printedSoFar());

        Files.writeString(log, "new\n");
        LogTail.printNew(log, next, out);
        assertEquals("h5-out-0.log | new\n", printedSoFar(), "a shorter file was rotated: read from its start");
    }
}
