package corral.workers.cgroup;

import corral.workers.config.ResourceLimits;
import java.io.IOException;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The cgroup of one pool: the limits the kernel enforces on all its instances together, and
 * what they use. Without cgroups ({@link #NONE}) it enforces and measures nothing.
 */
public interface PoolCgroup {

    /**
     * Writes the pool's CPU quota and memory ceiling (a limit not set is written as "none"), and
     * its CPU weight: {@code cpu_weight}, or that of {@code instances} busy processes (see {@code Weights}).
     */
    void apply(ResourceLimits limits, int instances) throws IOException;

    /** Moves a process (with all its threads) into the pool's cgroup; its later children are born there. */
    void admit(long pid) throws IOException;

    /** CPU time used by every process that ever ran in it, in nanoseconds; empty without cgroups. */
    OptionalLong cpuNanos();

    /** Memory charged to it now, in bytes; empty without cgroups. */
    OptionalLong memoryBytes();

    /** Removes its directories; fails (and removes nothing more) while a process is still in it. */
    void remove() throws IOException;

    /**
     * Removes it once the pool's processes are gone: a process still dying gets a moment to be
     * reaped (20 tries, 100 ms apart). Returns why it was left behind, or empty when removed.
     */
    default Optional<String> removeWhenEmpty() {
        for (int attempt = 1; ; attempt++) {
            try {
                remove();
                return Optional.empty();
            } catch (IOException e) {
                if (attempt == 20) {
                    return Optional.of(e.getMessage());
                }
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.of("interrupted");
            }
        }
    }

    /** Where it is, for status and messages; empty text without cgroups. */
    String location();

    /** A pool without a cgroup: nothing to enforce, nothing measured. */
    PoolCgroup NONE = new PoolCgroup() {
        @Override
        public void apply(ResourceLimits limits, int instances) {
        }

        @Override
        public void admit(long pid) {
        }

        @Override
        public OptionalLong cpuNanos() {
            return OptionalLong.empty();
        }

        @Override
        public OptionalLong memoryBytes() {
            return OptionalLong.empty();
        }

        @Override
        public void remove() {
        }

        @Override
        public String location() {
            return "";
        }
    };
}
