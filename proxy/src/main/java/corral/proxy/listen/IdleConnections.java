package corral.proxy.listen;

import com.codahale.metrics.Counter;

/**
 * A listener's reusable connections, oldest first: nginx's {@code reusable_connections_queue}.
 * A connection enters at the tail each time it becomes idle, so the head is the one idle longest.
 * {@link #drain} closes a batch of the oldest, as {@code ngx_drain_connections} does:
 * {@code max(1, min(32, idle / 8))} of them, each on its own IO thread after it checks that it is
 * still idle since it was picked (so one that started a request meanwhile is spared).
 *
 * <p>Like nginx's queue the list is intrusive: each connection owns one {@link Place}, linked in
 * and out on every request, so the per-request bookkeeping allocates nothing (a sorted map keyed
 * by a boxed sequence number cost a node and a {@code Long} per request). The lock is held for a
 * few pointer writes; a connection changes its own state from its IO thread.
 */
final class IdleConnections {

    private static final int MOST_PER_DRAIN = 32;

    /** A connection's place in the list, reused across its requests; guarded by the list's lock. */
    static final class Place {
        final ClientConnection connection;
        private Place older;
        private Place newer;
        private boolean linked;
        private long key;

        Place(ClientConnection connection) {
            this.connection = connection;
        }
    }

    private final Object lock = new Object();
    private final Counter closedToMakeRoom;
    private final Runnable joined;
    private Place oldest;  // guarded by lock
    private Place newest;  // guarded by lock
    private int size;      // guarded by lock
    private long keys;     // guarded by lock

    /** @param joined told after a connection joins (the listener may take a newcomer again) */
    IdleConnections(Counter closedToMakeRoom, Runnable joined) {
        this.closedToMakeRoom = closedToMakeRoom;
        this.joined = joined;
    }

    /** @return the key it holds its place with */
    long enter(Place p) {
        long key = enterQuietly(p);
        joined.run();
        return key;
    }

    /**
     * Enters a connection without telling the listener: one just accepted (the accept made room
     * already), or one that was picked but could not be closed yet (its response is still being
     * written, or its TLS handshake is under way), put back as the newest; telling the listener
     * then would pick the same connection again at once, a loop on its IO thread.
     */
    long enterQuietly(Place p) {
        synchronized (lock) {
            unlink(p);
            p.key = ++keys;
            p.older = newest;
            p.newer = null;
            if (newest == null) {
                oldest = p;
            } else {
                newest.newer = p;
            }
            newest = p;
            p.linked = true;
            size++;
            return p.key;
        }
    }

    void leave(Place p) {
        synchronized (lock) {
            unlink(p);
        }
    }

    int size() {
        synchronized (lock) {
            return size;
        }
    }

    /** Closes a batch of the oldest idle connections; returns how many were picked. */
    int drain() {
        int picked = 0;
        synchronized (lock) {
            int batch = Math.max(1, Math.min(MOST_PER_DRAIN, size / 8));
            for (; picked < batch && oldest != null; picked++) {
                Place p = oldest;
                long key = p.key;
                unlink(p);
                ClientConnection c = p.connection;
                c.channel().getIoThread().execute(() -> {
                    if (c.closeIfStillIdle(key)) {
                        closedToMakeRoom.inc();
                    }
                });
            }
        }
        return picked;
    }

    /** Guarded by lock; a place not in the list is left as it is. */
    private void unlink(Place p) {
        if (!p.linked) {
            return;
        }
        if (p.older == null) {
            oldest = p.newer;
        } else {
            p.older.newer = p.newer;
        }
        if (p.newer == null) {
            newest = p.older;
        } else {
            p.newer.older = p.older;
        }
        p.older = null;
        p.newer = null;
        p.linked = false;
        size--;
    }
}
