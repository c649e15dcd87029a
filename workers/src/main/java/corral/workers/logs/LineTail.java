package corral.workers.logs;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.List;

/**
 * The last few lines of a stream, kept in memory so that a failed start can say why
 * ("exited with code 1 before it was ready: Error: Cannot find module ...").
 */
public final class LineTail {

    private final int capacity;
    private final ArrayDeque<String> lines = new ArrayDeque<>();

    public LineTail(int capacity) {
        this.capacity = capacity;
    }

    synchronized void add(byte[] line, int length) {
        if (lines.size() == capacity) {
            lines.removeFirst();
        }
        lines.addLast(new String(line, 0, Math.min(length, 500), StandardCharsets.UTF_8));
    }

    public synchronized List<String> lines() {
        return List.copyOf(lines);
    }
}
