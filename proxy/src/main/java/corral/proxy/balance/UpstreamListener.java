package corral.proxy.balance;

/**
 * Told of each upstream's life as seen by the proxy, so that resources tied to it (the forward
 * layer's connection pool) live exactly as long. Called on the supervisor's pool thread, under
 * the pool's membership lock: must be quick and must not call back into the table.
 */
public interface UpstreamListener {

    /** It became ready; called before any request can be assigned to it. */
    void added(Upstream upstream);

    /** It takes no new request any more; requests in flight on it go on. */
    void retired(Upstream upstream);

    /** Its process is gone (or it left the pool): forget it. Follows {@link #retired}. */
    void removed(Upstream upstream);

    /** For a table without a forward layer (tests of balancing alone). */
    UpstreamListener NONE = new UpstreamListener() {
        @Override
        public void added(Upstream upstream) {
        }

        @Override
        public void retired(Upstream upstream) {
        }

        @Override
        public void removed(Upstream upstream) {
        }
    };
}
