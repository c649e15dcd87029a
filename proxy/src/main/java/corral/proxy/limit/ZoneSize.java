package corral.proxy.limit;

/**
 * How many bytes of a zone nginx can give to per-key states, and what one state costs there:
 * nginx keeps the states in a shared slab of {@code size} bytes, whose 4 KB pages each cost
 * 4096 bytes plus a 24-byte page descriptor, after a pool header and slot tables of about
 * 1 KB; one page goes to the zone's own tree and name. A state is an rbtree node (32 bytes up
 * to its color byte) followed by the module's node and the key, rounded up by the slab to a
 * power of two from 8 bytes (whole pages above half a page). So a 1m zone holds ~8000
 * {@code $binary_remote_addr} states of limit_req (128 bytes each on 64-bit), as nginx's
 * documentation says ("about 16 thousand 64-byte states" on 32-bit).
 */
final class ZoneSize {

    /** nginx refuses a zone under 8 pages ("zone is too small"). */
    static final long MIN = 8 * 4096;
    private static final int PAGE = 4096;
    /** offsetof(ngx_rbtree_node_t, color) on 64-bit. */
    private static final int RBTREE_HEAD = 32;

    private ZoneSize() {
    }

    /** The bytes of pages left for states in a zone of {@code size} bytes. */
    static long usable(long size) {
        long pages = (size - 1024) / (PAGE + 24) - 1;
        return Math.max(pages, 0) * PAGE;
    }

    /** The slab's allocation for a state whose module node has {@code header} bytes before the key. */
    static int slot(int header, int keyLength) {
        int bytes = RBTREE_HEAD + header + keyLength;
        if (bytes > PAGE / 2) {
            return (bytes + PAGE - 1) / PAGE * PAGE;
        }
        int slot = 8;
        while (slot < bytes) {
            slot <<= 1;
        }
        return slot;
    }
}
