package corral.proxy.control;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code bin/control logs}: the last lines of a file, and what a follower sees as it grows and rotates. */
class LogTailTest {

    @TempDir
    Path dir;

    @Test
    void theLastLinesOfAFileLargerThanAnyHeapComeFromItsEnd() throws Exception {
        Path log = dir.resolve("h5-out-0.log");
        try (RandomAccessFile f = new RandomAccessFile(log.toFile(), "rw")) {
            // 6 GB, sparse: a reader that loads the file whole fails (no byte[] holds it); a tail reads one block.
            f.setLength(6L << 30);
            f.seek(f.length());
            f.write("first\nsecond\nthird\n".getBytes());
        }
        try (LogTail tail = LogTail.lastLines(log, 2)) {
            assertEquals(List.of("second", "third"), tail.poll(true));
        }
        try (LogTail tail = LogTail.lastLines(log, 0)) {
            assertEquals(List.of(), tail.poll(true));
        }
    }

    @Test
    void aFileWithFewerLinesThanAskedIsPrintedWholeAndALastLineWithoutNewlineToo() throws Exception {
        Path log = Files.writeString(dir.resolve("h5-out-0.log"), "one\n\nthree");
        try (LogTail tail = LogTail.lastLines(log, 20)) {
            assertEquals(List.of("one", "", "three"), tail.poll(true));
        }
        try (LogTail tail = LogTail.lastLines(log, 1)) {
            assertEquals(List.of("three"), tail.poll(true));
        }
    }

    @Test
    void aLineStillBeingWrittenIsReturnedOnceWholeAndATruncatedFileFromItsStart() throws Exception {
        Path log = Files.writeString(dir.resolve("h5-out-0.log"), "one\ntw");
        try (LogTail tail = LogTail.lastLines(log, 10)) {
            assertEquals(List.of("one"), tail.poll(false));
            assertEquals(List.of(), tail.poll(false), "nothing whole yet");

            Files.writeString(log, "o\nthree\n", StandardOpenOption.APPEND);
            assertEquals(List.of("two", "three"), tail.poll(false));

            Files.writeString(log, "new\n"); // truncated in place (copytruncate)
            assertEquals(List.of("new"), tail.poll(false));
        }
    }

    @Test
    void aRotatedFileIsReadToItsEndThenTheNewFileFromItsStart() throws Exception {
        Path log = Files.writeString(dir.resolve("h5-out-0.log"), "before\n");
        try (LogTail tail = LogTail.lastLines(log, 10)) {
            assertEquals(List.of("before"), tail.poll(false));

            Path rotated = dir.resolve("h5-out-0.log.1");
            Files.move(log, rotated);
            // The writer still has the old file open until it reopens: these lines land in the rotated file.
            Files.writeString(rotated, "late\n", StandardOpenOption.APPEND);
            Files.writeString(log, "after\n");
            assertEquals(List.of("late", "after"), tail.poll(false));

            Files.writeString(rotated, "later still\n", StandardOpenOption.APPEND);
            Files.writeString(log, "more\n", StandardOpenOption.APPEND);
            assertEquals(List.of("later still", "more"), tail.poll(false));
        }
    }

    @Test
    void aFileThatAppearsLaterIsReadFromItsStart() throws Exception {
        Path log = dir.resolve("h5-error-0.log");
        try (LogTail tail = LogTail.lastLines(log, 10)) {
            assertEquals(List.of(), tail.poll(false));
            Files.writeString(log, "boom\n");
            assertEquals(List.of("boom"), tail.poll(false));
        }
    }
}
