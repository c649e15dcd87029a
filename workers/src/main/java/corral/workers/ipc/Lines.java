package corral.workers.ipc;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.function.Predicate;

/**
 * Splits a connection's bytes into UTF-8 lines, keeping a partial line between reads (a read may
 * end anywhere, even inside a multi-byte character: lines are decoded only once whole).
 */
final class Lines {
    private final ByteArrayOutputStream partial = new ByteArrayOutputStream();

    /**
     * Hands each whole line in {@code bytes} (without its {@code \n} or {@code \r\n}) to
     * {@code line}; stops and returns false as soon as {@code line} does.
     */
    boolean take(ByteBuffer bytes, Predicate<String> line) {
        while (bytes.hasRemaining()) {
            byte b = bytes.get();
            if (b != '\n') {
                partial.write(b);
                continue;
            }
            String text = partial.toString(StandardCharsets.UTF_8);
            partial.reset();
            if (text.endsWith("\r")) {
                text = text.substring(0, text.length() - 1);
            }
            if (!line.test(text)) {
                return false;
            }
        }
        return true;
    }
}
