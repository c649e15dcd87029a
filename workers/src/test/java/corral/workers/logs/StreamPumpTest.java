package corral.workers.logs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StreamPumpTest {

    @TempDir
    Path dir;

    @Test
    void aLineSplitAcrossChunksIsWrittenWholeAndTheLastUnterminatedLineIsKept() throws Exception {
        LogFile file = new LogFile(dir.resolve("a.log"));
        LineTail tail = new LineTail(1);
        var worker = new PipedOutputStream();
        var ended = new AtomicBoolean();
        var pump = new StreamPump(new PipedInputStream(worker, 1 << 16), ended::get, file, null, tail);
        byte[] buf = new byte[8192];
        worker.write("first li".getBytes(StandardCharsets.UTF_8));
        assertEquals(8, pump.copyAvailable(buf));
        worker.write("ne\nsecond\nlast".getBytes(StandardCharsets.UTF_8));
        worker.close();
        ended.set(true);
        while (pump.copyAvailable(buf) >= 0) {
            // copies what is left, then ends
        }
        assertTrue(pump.done().isDone());
        file.close();
        assertEquals(List.of("first line", "second", "last"), Files.readAllLines(dir.resolve("a.log")));
        assertEquals(List.of("first line", "... (1 lines)", "last"), tail.lines());
    }

    @Test
    void aLineReachesTheFileWhileTheStreamIsStillOpenOnceTheWorkerIsQuiet() throws Exception {
        Path path = dir.resolve("c.log");
        LogFile file = new LogFile(path);
        var worker = new PipedOutputStream();
        var ended = new AtomicBoolean();
        var pumps = new LogPumps("test-pumps");
        var done = pumps.add(new StreamPump(new PipedInputStream(worker, 1 << 16), ended::get, file, null, null));
        try {
            worker.write("many\n".repeat(1000).getBytes(StandardCharsets.UTF_8));
            worker.write("then quiet\n".getBytes(StandardCharsets.UTF_8));
            worker.flush();
            Awaitility.await("the last line is in the file").atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(20))
                    .ignoreExceptions().until(() -> Files.readString(path).endsWith("then quiet\n"));
            assertEquals(1001, Files.readAllLines(path).size(), "every line is in the file, the stream still open");
        } finally {
            worker.close();
            ended.set(true);
            pumps.wake();
            done.get(5, TimeUnit.SECONDS);
            file.close();
        }
    }

    @Test
    void everyWriteToTheFileEndsAtALineEndEvenWhenTheBufferFillsOrALineIsLongerThanIt() throws Exception {
        Path path = dir.resolve("d.log");
        LogFile file = new LogFile(path);
        byte[] line = "x".repeat(999).getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < 100; i++) {
            file.writeLine(new byte[0], line, line.length);
        }
        long size = Files.size(path);
        assertEquals(true, size > 0 && size % 1000 == 0, "the buffer went out when full, at a line end: " + size);
        byte[] huge = "y".repeat(100_000).getBytes(StandardCharsets.UTF_8);
        file.writeLine("> ".getBytes(StandardCharsets.UTF_8), huge, huge.length);
        assertEquals(100 * 1000 + 100_003, Files.size(path), "a line longer than the buffer goes out whole, after the rest");
        file.close();
        assertEquals(101, Files.readAllLines(path).size());
    }

    @Test
    void reopenWritesToANewFileAfterTheOldOneWasMovedAway() throws Exception {
        Path path = dir.resolve("b.log");
        LogFile file = new LogFile(path);
        byte[] one = "one".getBytes(StandardCharsets.UTF_8);
        file.writeLine(new byte[0], one, one.length);
        file.flush(); // as a pump does once its worker is quiet
        Files.move(path, dir.resolve("b.log.1"));
        file.reopen();
        byte[] two = "two".getBytes(StandardCharsets.UTF_8);
        file.writeLine(new byte[0], two, two.length);
        file.close();
        assertEquals(List.of("one"), Files.readAllLines(dir.resolve("b.log.1")));
        assertEquals(List.of("two"), Files.readAllLines(path));
    }
}
