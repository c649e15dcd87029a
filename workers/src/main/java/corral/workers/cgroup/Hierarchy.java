package corral.workers.cgroup;

import java.io.IOException;

/** One kind of cgroup file system Corral can use (v2, or v1's cpu and memory hierarchies). */
interface Hierarchy {

    /** What it is and where Corral's cgroups go, e.g. {@code cgroup v2 at /sys/fs/cgroup/corral-1a2b3c4d}. */
    String describe();

    /** Makes Corral's parent cgroup (reused when it exists) and sweeps away empty pool cgroups left in it. */
    void createParent() throws IOException;

    /** Makes (or reuses) the cgroup of pool {@code app}. */
    PoolCgroup pool(String app) throws IOException;

    /** Removes Corral's parent cgroup; fails while a pool cgroup is still in it. */
    void removeParent() throws IOException;
}
