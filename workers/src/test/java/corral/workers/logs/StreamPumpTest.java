package corral.workers.logs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StreamPumpTest {

    @TempDir
    Path dir;

    static ByteArrayInputStream bytes(String s) {
        return new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aLineSplitAcrossChunksIsWrittenWholeAndTheLastUnterminatedLineIsKept() throws Exception {
        LogFile file = new LogFile(dir.resolve("a.log"));
        LineTail tail = new LineTail(1);
        var in = new SequenceInputStream(bytes("first li"), bytes("ne\nsecond\nlast"));
        new StreamPump(in, file, null, tail).run();
        file.close();
        assertEquals(List.of("first line", "second", "last"), Files.readAllLines(dir.resolve("a.log")));
        assertEquals(List.of("first line", "... (1 lines)", "last"), tail.lines());
    }

    @Test
    void reopenWritesToANewFileAfterTheOldOneWasMovedAway() throws Exception {
        Path path = dir.resolve("b.log");
        LogFile file = new LogFile(path);
        byte[] one = "one".getBytes(StandardCharsets.UTF_8);
        file.writeLine(new byte[0], one, one.length);
        Files.move(path, dir.resolve("b.log.1"));
        file.reopen();
        byte[] two = "two".getBytes(StandardCharsets.UTF_8);
        file.writeLine(new byte[0], two, two.length);
        file.close();
        assertEquals(List.of("one"), Files.readAllLines(dir.resolve("b.log.1")));
        assertEquals(List.of("two"), Files.readAllLines(path));
    }
}
