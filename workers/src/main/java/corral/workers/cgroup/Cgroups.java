package corral.workers.cgroup;

import corral.workers.config.ResourceLimits;
import corral.workers.home.HomeLayout;
import corral.workers.proc.ProcFs;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What this machine offers to limit pools, found out once: cgroup v2 where it is mounted with the
 * cpu and memory controllers and writable, else cgroup v1's cpu and memory hierarchies, else
 * nothing, with the reason ({@link #summary()} says which, in one line). With cgroups, Corral's
 * parent cgroup {@code corral-<hash of the home>} lives under the daemon's own cgroup, and each
 * pool gets one in it ({@link #pool}). {@code CORRAL_CGROUPS=off} in the daemon's environment
 * turns them off.
 */
public final class Cgroups implements AutoCloseable {

    /** The environment variable that turns cgroups off ({@code off}). */
    public static final String SWITCH = "CORRAL_CGROUPS";
    /** How every message about running without them starts. */
    public static final String UNAVAILABLE = "cgroups unavailable: CPU sets only";
    /** The attributes that need a cgroup. */
    public static final String CGROUP_LIMITS = "cpu_quota, cpu_weight and memory_max";

    private static final System.Logger LOG = System.getLogger("corral.cgroup");

    private final Optional<Hierarchy> hierarchy;
    private final String reason;

    private Cgroups(Optional<Hierarchy> hierarchy, String reason) {
        this.hierarchy = hierarchy;
        this.reason = reason;
    }

    /**
     * For the daemon: finds what this machine offers and makes Corral's parent cgroup; when that
     * fails too, runs without cgroups and says why.
     */
    public static Cgroups open(HomeLayout home, Map<String, String> env) {
        return created(probe(home, env));
    }

    /** What detection found, with Corral's parent cgroup made; without cgroups if that fails. */
    static Cgroups created(Cgroups found) {
        if (found.hierarchy.isEmpty()) {
            return found;
        }
        try {
            found.hierarchy.get().createParent();
            return found;
        } catch (IOException e) {
            return unavailable(e.getMessage());
        }
    }

    /** For {@code check}: what a daemon for {@code home} would use, creating nothing. */
    public static Cgroups probe(HomeLayout home, Map<String, String> env) {
        return detect(ProcFs.mountInfo(), ProcFs.cgroups(ProcessHandle.current().pid()), parentName(home),
                env.getOrDefault(SWITCH, ""));
    }

    /** Runs without cgroups, for {@code reason}. */
    public static Cgroups unavailable(String reason) {
        return new Cgroups(Optional.empty(), reason);
    }

    /** The detection itself, from the lines of {@code /proc/self/mountinfo} and {@code /proc/self/cgroup}. */
    static Cgroups detect(List<String> mountInfo, List<String> ownCgroups, String parentName, String switchValue) {
        if (switchValue.trim().equalsIgnoreCase("off")) {
            return unavailable(SWITCH + "=off");
        }
        CgroupMounts mounts = CgroupMounts.parse(mountInfo, ownCgroups);
        Detection v2 = CgroupV2.find(mounts, parentName);
        if (v2 instanceof Detection.Usable usable) {
            return new Cgroups(Optional.of(usable.hierarchy()), "");
        }
        Detection v1 = CgroupV1.find(mounts, parentName);
        if (v1 instanceof Detection.Usable usable) {
            return new Cgroups(Optional.of(usable.hierarchy()), "");
        }
        return unavailable(((Detection.Unusable) v2).reason() + "; " + ((Detection.Unusable) v1).reason());
    }

    /** The name of Corral's parent cgroup for a home: {@code corral-} and 8 hex digits of its path's SHA-256. */
    public static String parentName(HomeLayout home) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(home.root().toString().getBytes(StandardCharsets.UTF_8));
            return "corral-" + HexFormat.of().formatHex(digest, 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }

    public boolean available() {
        return hierarchy.isPresent();
    }

    /**
     * One line for {@code check}, {@code start} and {@code status}: {@code cgroup v1 at ...: cpu_quota,
     * cpu_weight and memory_max are enforced per pool}, or
     * {@code cgroups unavailable: CPU sets only (<reason>); cpu_quota, cpu_weight and memory_max are not applied}.
     */
    public String summary() {
        return hierarchy.map(h -> h.describe() + ": " + CGROUP_LIMITS + " are enforced per pool")
                .orElse(UNAVAILABLE + " (" + reason + "); " + CGROUP_LIMITS + " are not applied");
    }

    /**
     * The cgroup of pool {@code app} with {@code limits} (and the CPU weight of {@code instances}, when
     * no {@code cpu_weight} is set) written, or {@link PoolCgroup#NONE} without
     * cgroups. A failure is logged and leaves the pool without a cgroup: it still runs, pinned.
     */
    public PoolCgroup pool(String app, ResourceLimits limits, int instances) {
        if (hierarchy.isEmpty()) {
            return PoolCgroup.NONE;
        }
        try {
            PoolCgroup group = hierarchy.get().pool(app);
            group.apply(limits, instances);
            return group;
        } catch (IOException e) {
            LOG.log(System.Logger.Level.ERROR, app + ": runs without its cgroup (" + CGROUP_LIMITS + " not applied): "
                    + e.getMessage());
            return PoolCgroup.NONE;
        }
    }

    /** Removes Corral's parent cgroup, once every pool's is gone; says so when one is left. */
    @Override
    public void close() {
        if (hierarchy.isEmpty()) {
            return;
        }
        try {
            hierarchy.get().removeParent();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "left Corral's parent cgroup behind: " + e.getMessage());
        }
    }
}
