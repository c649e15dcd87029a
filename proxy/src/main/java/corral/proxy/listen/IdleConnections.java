package corral.proxy.listen;

import com.codahale.metrics.Counter;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A listener's reusable connections, oldest first: nginx's {@code reusable_connections_queue}.
 * A connection enters with a fresh key each time it becomes idle, so the first key is the one
 * idle longest. {@link #drain} closes a batch of the oldest, as {@code ngx_drain_connections}
 * does: {@code max(1, min(32, idle / 8))} of them, each on its own IO thread after it checks that
 * it is still idle since it was picked (so one that started a request meanwhile is spared).
 * Entering and leaving take no lock: a connection changes state from its own IO thread.
 */
final class IdleConnections {

    private static final int MOST_PER_DRAIN = 32;

    private final ConcurrentSkipListMap<Long, ClientConnection> oldestFirst = new ConcurrentSkipListMap<>();
    private final AtomicLong keys = new AtomicLong();
    private final Counter closedToMakeRoom;
    private final Runnable joined;

    /** @param joined told after a connection joins (the listener may take a newcomer again) */
    IdleConnections(Counter closedToMakeRoom, Runnable joined) {
        this.closedToMakeRoom = closedToMakeRoom;
        this.joined = joined;
    }

    /** @return the key it holds its place with */
    long enter(ClientConnection c) {
        long key = keys.incrementAndGet();
        oldestFirst.put(key, c);
        joined.run();
        return key;
    }

    /**
     * Enters a connection without telling the listener: one just accepted (the accept made room
     * already), or one that was picked but could not be closed yet (its response is still being
     * written, or its TLS handshake is under way), put back as the newest; telling the listener
     * then would pick the same connection again at once, a loop on its IO thread.
     */
    long enterQuietly(ClientConnection c) {
        long key = keys.incrementAndGet();
        oldestFirst.put(key, c);
        return key;
    }

    void leave(long key) {
        oldestFirst.remove(key);
    }

    int size() {
        return oldestFirst.size();
    }

    /** Closes a batch of the oldest idle connections; returns how many were picked. */
    int drain() {
        int batch = Math.max(1, Math.min(MOST_PER_DRAIN, oldestFirst.size() / 8));
        int picked = 0;
        for (; picked < batch; picked++) {
            Map.Entry<Long, ClientConnection> oldest = oldestFirst.pollFirstEntry();
            if (oldest == null) {
                break;
            }
            long key = oldest.getKey();
            ClientConnection c = oldest.getValue();
            c.channel().getIoThread().execute(() -> {
                if (c.closeIfStillIdle(key)) {
                    closedToMakeRoom.inc();
                }
            });
        }
        return picked;
    }
}
