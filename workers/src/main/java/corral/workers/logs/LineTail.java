package corral.workers.logs;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The first and the last few lines of a stream, kept in memory so that a failed start can say why
 * ("exited with code 1 before it was ready: Error: Cannot find module ..."). Node prints the error
 * first and a long stack after it, so the head matters as much as the tail.
 */
public final class LineTail {

    private final int keep;
    private final List<String> head = new ArrayList<>();
    private final ArrayDeque<String> tail = new ArrayDeque<>();
    private long skipped;

    /** Keeps up to {@code keep} first lines and {@code keep} last lines. */
    public LineTail(int keep) {
        this.keep = keep;
    }

    synchronized void add(byte[] bytes, int offset, int length) {
        String text = new String(bytes, offset, Math.min(length, 500), StandardCharsets.UTF_8);
        if (head.size() < keep) {
            head.add(text);
            return;
        }
        if (tail.size() == keep) {
            tail.removeFirst();
            skipped++;
        }
        tail.addLast(text);
    }

    public synchronized List<String> lines() {
        List<String> out = new ArrayList<>(head);
        if (skipped > 0) {
            out.add("... (" + skipped + " lines)");
        }
        out.addAll(tail);
        return out;
    }
}
