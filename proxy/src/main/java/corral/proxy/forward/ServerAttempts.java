package corral.proxy.forward;

import corral.proxy.balance.PoolTable;
import corral.proxy.balance.ServerGroup;
import java.util.BitSet;

/**
 * The servers of an {@code upstream} over several apps' pools that one exchange has tried, and
 * the pool of its current attempt: the first attempt goes to the server nginx's round robin picks
 * ({@link ServerGroup}), each retry to the next server not tried yet, as nginx's
 * {@code proxy_next_upstream} goes to the next server (never twice to one); that server's pool
 * then picks its instance. Touched by the exchange's IO thread only.
 */
final class ServerAttempts {

    private final ServerGroup group;
    private final PoolTable table;
    private final BitSet tried = new BitSet();
    private String app;

    private ServerAttempts(ServerGroup group, PoolTable table, String app) {
        this.group = group;
        this.table = table;
        this.app = app;
    }

    /**
     * The first server's pool: among the servers with a live instance; when none has one, the
     * round robin among all of them (each pool then tries its instances set aside, as a pool of
     * one app does). Null when every server is {@code down}.
     */
    static ServerAttempts first(ServerGroup group, PoolTable table) {
        ServerAttempts attempts = new ServerAttempts(group, table, null);
        int server = group.next(attempts.tried, table::hasLive);
        if (server < 0) {
            server = group.next(attempts.tried, app -> true);
        }
        if (server < 0) {
            return null;
        }
        attempts.app = group.app(server);
        return attempts;
    }

    /** The pool of the current attempt. */
    String app() {
        return app;
    }

    /** Moves to the next server for a retry; false when no server with a live instance is left. */
    boolean next() {
        int server = group.next(tried, table::hasLive);
        if (server < 0) {
            return false;
        }
        app = group.app(server);
        return true;
    }

    /** Whether a retry has a server to go to (for an answer {@code proxy_next_upstream} would drop). */
    boolean hasUntried() {
        return group.hasUntried(tried, table::hasLive);
    }
}
