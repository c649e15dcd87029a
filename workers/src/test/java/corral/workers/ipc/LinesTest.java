package corral.workers.ipc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LinesTest {

    @Test
    void aLineCutAnywhereEvenInsideACharacterComesOutWhole() {
        byte[] bytes = "{\"msg\":\"就绪\"}\r\n\"ready\"\n".getBytes(StandardCharsets.UTF_8);
        for (int cut = 1; cut < bytes.length; cut++) {
            Lines lines = new Lines();
            List<String> got = new ArrayList<>();
            lines.take(ByteBuffer.wrap(bytes, 0, cut), got::add);
            lines.take(ByteBuffer.wrap(bytes, cut, bytes.length - cut), got::add);
            assertEquals(List.of("{\"msg\":\"就绪\"}", "\"ready\""), got, "cut at " + cut);
        }
    }

    @Test
    void stopsAtTheLineThatSaysSo() {
        List<String> got = new ArrayList<>();
        boolean open = new Lines().take(ByteBuffer.wrap("a\nb\nc\n".getBytes(StandardCharsets.UTF_8)),
                line -> got.add(line) && !line.equals("b"));
        assertFalse(open);
        assertEquals(List.of("a", "b"), got);
    }
}
