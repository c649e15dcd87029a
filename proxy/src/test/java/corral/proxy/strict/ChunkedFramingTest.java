package corral.proxy.strict;

import static org.junit.jupiter.api.Assertions.assertEquals;

import corral.proxy.strict.ChunkedFraming.Verdict;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The chunked-body checker reads the bodies nginx reads, and refuses the ones nginx refuses. */
class ChunkedFramingTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "3\\r\\nabc\\r\\n0\\r\\n\\r\\n                 | COMPLETE",
        "3;name=value\\r\\nabc\\r\\n0\\r\\n\\r\\n      | COMPLETE",
        "A\\r\\n0123456789\\r\\n0\\r\\n\\r\\n          | COMPLETE",
        "3\\nabc\\n0\\n\\n                             | COMPLETE",
        "3\\r\\nabc\\r\\n0\\r\\nX-Sum: 1\\r\\n\\r\\n   | COMPLETE",
        "0\\r\\n\\r\\nGET / HTTP/1.1\\r\\n            | COMPLETE",
        "3\\r\\nab                                   | INCOMPLETE",
        "3\\r\\nabc\\r\\n                            | INCOMPLETE",
        "fffffffffffffff\\r\\n                       | INCOMPLETE",
        "g\\r\\nabc\\r\\n0\\r\\n\\r\\n                 | INVALID",
        "0x3\\r\\nabc\\r\\n0\\r\\n\\r\\n               | INVALID",
        "-3\\r\\nabc\\r\\n0\\r\\n\\r\\n                | INVALID",
        "' 3\\r\\nabc\\r\\n0\\r\\n\\r\\n'              | INVALID",
        "fffffffffffffffff1\\r\\nabc\\r\\n0\\r\\n\\r\\n | INVALID",
        "3\\r\\nabcdef\\r\\n0\\r\\n\\r\\n              | INVALID",
        "3\\r\\nabc0\\r\\n\\r\\n                       | INVALID",
        "3\\r\\nabc\\r0\\r\\n\\r\\n                    | INVALID",
        "3\\rabc\\r\\n0\\r\\n\\r\\n                    | INVALID",
        "3;x=\"\\r\\n\"\\r\\nabc\\r\\n0\\r\\n\\r\\n      | INVALID",
        "\\r\\nabc\\r\\n0\\r\\n\\r\\n                  | INVALID",
        "3;a\\u0000b\\r\\nabc\\r\\n0\\r\\n\\r\\n         | INVALID",
        "3\\r\\nabc\\r\\n0\\r\\n: x\\r\\n\\r\\n         | INVALID"})
    void readsABodyAsNginxDoes(String escaped, Verdict expected) {
        String body = escaped.replace("\\r", "\r").replace("\\n", "\n").replace("\\u0000", "\0");

        assertEquals(expected, new ChunkedFraming().feed(bytes(body)), escaped);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "3\\r\\nabc\\r\\n0\\r\\n\\r\\n      | COMPLETE",
        "3\\r\\nabcdef\\r\\n0\\r\\n\\r\\n   | INVALID",
        "fffffffffffffffff1\\r\\n       | INVALID"})
    void aBodyFedOneByteAtATimeGetsTheSameVerdict(String escaped, Verdict expected) {
        String body = escaped.replace("\\r", "\r").replace("\\n", "\n");
        ChunkedFraming framing = new ChunkedFraming();
        for (int i = 0; i < body.length(); i++) {
            framing.feed(bytes(body.substring(i, i + 1)));
        }

        assertEquals(expected, framing.verdict());
    }

    private static ByteBuffer bytes(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.ISO_8859_1));
    }
}
