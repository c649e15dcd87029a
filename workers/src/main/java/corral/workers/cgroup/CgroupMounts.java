package corral.workers.cgroup;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Where the cgroup file systems are mounted ({@code /proc/self/mountinfo}) and where this process
 * sits in each hierarchy ({@code /proc/self/cgroup}): enough to find the daemon's own cgroup
 * directory for a v1 controller or for v2, also in a container whose mounts show a sub-tree.
 */
final class CgroupMounts {

    /** One cgroup mount: its mount point, the hierarchy path mounted there, its type and options. */
    record Mount(Path point, String root, boolean v2, Set<String> options) {
    }

    private final List<Mount> mounts;
    private final Map<String, String> ownV1;
    private final Optional<String> ownV2;

    private CgroupMounts(List<Mount> mounts, Map<String, String> ownV1, Optional<String> ownV2) {
        this.mounts = mounts;
        this.ownV1 = ownV1;
        this.ownV2 = ownV2;
    }

    /** Reads the lines of {@code /proc/self/mountinfo} and {@code /proc/self/cgroup}. */
    static CgroupMounts parse(List<String> mountInfo, List<String> ownCgroups) {
        List<Mount> mounts = new ArrayList<>();
        for (String line : mountInfo) {
            mount(line).ifPresent(mounts::add);
        }
        Map<String, String> ownV1 = new HashMap<>();
        Optional<String> ownV2 = Optional.empty();
        for (String line : ownCgroups) {
            String[] f = line.split(":", 3);
            if (f.length < 3) {
                continue;
            }
            if (f[0].equals("0") && f[1].isEmpty()) {
                ownV2 = Optional.of(f[2]);
            } else {
                for (String controller : f[1].split(",")) {
                    ownV1.put(controller, f[2]);
                }
            }
        }
        return new CgroupMounts(List.copyOf(mounts), ownV1, ownV2);
    }

    /** The cgroup2 mount, if any. */
    Optional<Mount> v2() {
        return mounts.stream().filter(Mount::v2).findFirst();
    }

    /** The v1 mount that holds {@code controller}, if any. */
    Optional<Mount> v1(String controller) {
        return mounts.stream().filter(m -> !m.v2() && m.options().contains(controller)).findFirst();
    }

    /** This process's cgroup directory in the v2 hierarchy mounted at {@code mount}. */
    Optional<Path> ownV2Dir(Mount mount) {
        return ownV2.flatMap(path -> dirOf(mount, path));
    }

    /** This process's cgroup directory for a v1 controller mounted at {@code mount}. */
    Optional<Path> ownV1Dir(Mount mount, String controller) {
        return Optional.ofNullable(ownV1.get(controller)).flatMap(path -> dirOf(mount, path));
    }

    /** The directory of hierarchy path {@code path}, if it lies within what is mounted at {@code mount}. */
    private static Optional<Path> dirOf(Mount mount, String path) {
        String root = mount.root().equals("/") ? "" : mount.root();
        if (!path.equals(root) && !path.startsWith(root + "/")) {
            return Optional.empty();
        }
        String rest = path.substring(root.length()).replaceFirst("^/+", "");
        return Optional.of(rest.isEmpty() ? mount.point() : mount.point().resolve(rest));
    }

    /** {@code id parent maj:min root point options [optional...] - type source superoptions}. */
    private static Optional<Mount> mount(String line) {
        String[] f = line.split(" ");
        int dash = List.of(f).indexOf("-");
        if (dash < 6 || dash + 1 >= f.length) {
            return Optional.empty();
        }
        String type = f[dash + 1];
        if (!type.equals("cgroup") && !type.equals("cgroup2")) {
            return Optional.empty();
        }
        String superOptions = dash + 3 < f.length ? f[dash + 3] : "";
        return Optional.of(new Mount(Path.of(unescape(f[4])), unescape(f[3]), type.equals("cgroup2"),
                Set.of(superOptions.split(","))));
    }

    /** mountinfo writes space, tab, newline and backslash as octal escapes ({@code \040}). */
    private static String unescape(String field) {
        var out = new StringBuilder();
        for (int i = 0; i < field.length(); i++) {
            char c = field.charAt(i);
            if (c == '\\' && i + 3 < field.length() && field.substring(i + 1, i + 4).matches("[0-7]{3}")) {
                out.append((char) Integer.parseInt(field.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
