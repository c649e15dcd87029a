package corral.proxy.balance;

import java.util.BitSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;

/**
 * An nginx {@code upstream} whose servers are several apps' pools (each server an app's public
 * port): which pool gets the request, as nginx 1.22's round robin picks a server
 * (ngx_http_upstream_get_peer, one worker process): smooth weighted round robin over the servers
 * not {@code down}, not tried by this request and with a live instance (nginx: not failed), each
 * adding its weight to its current weight, the largest (first in file order on a tie) chosen and
 * lowered by the total; the {@code backup} servers, likewise among themselves, only when no
 * other server is left. The chosen pool then picks its instance. State is per group (one per
 * {@code upstream} block of the loaded rules), changed under its lock; a reload starts anew, as
 * nginx's new workers do.
 */
public final class ServerGroup {

    /** One {@code server 127.0.0.1:PORT [weight=N] [backup] [down]} of the block. */
    public record Server(String app, int weight, boolean backup, boolean down) {
        public Server {
            Objects.requireNonNull(app, "app");
            if (weight < 1) {
                throw new IllegalArgumentException("weight must be at least 1, was " + weight);
            }
        }
    }

    private final String name;
    private final List<Server> servers;
    private final int[] current;

    public ServerGroup(String name, List<Server> servers) {
        this.name = Objects.requireNonNull(name, "name");
        this.servers = List.copyOf(servers);
        this.current = new int[this.servers.size()];
    }

    /** The upstream's name as written. */
    public String name() {
        return name;
    }

    public List<Server> servers() {
        return servers;
    }

    /** The apps of its servers, in file order (a {@code down} one too: its health still counts). */
    public Set<String> apps() {
        Set<String> apps = new LinkedHashSet<>();
        servers.forEach(s -> apps.add(s.app()));
        return apps;
    }

    /**
     * The next server for a request that has tried {@code tried} (server indexes, updated here),
     * among those whose app {@code live} says has an instance to take it; -1 when none is left
     * (nginx: "no live upstreams").
     */
    public synchronized int next(BitSet tried, Predicate<String> live) {
        int chosen = pick(false, tried, live);
        if (chosen < 0) {
            chosen = pick(true, tried, live);
        }
        if (chosen >= 0) {
            tried.set(chosen);
        }
        return chosen;
    }

    /** Whether a server is left for a request that has tried {@code tried}; nothing changes. */
    public boolean hasUntried(BitSet tried, Predicate<String> live) {
        for (int i = 0; i < servers.size(); i++) {
            if (available(i, tried, live)) {
                return true;
            }
        }
        return false;
    }

    /** The app of server {@code index}. */
    public String app(int index) {
        return servers.get(index).app();
    }

    private int pick(boolean backup, BitSet tried, Predicate<String> live) {
        int best = -1;
        int total = 0;
        for (int i = 0; i < servers.size(); i++) {
            if (servers.get(i).backup() != backup || !available(i, tried, live)) {
                continue;
            }
            current[i] += servers.get(i).weight();
            total += servers.get(i).weight();
            if (best < 0 || current[i] > current[best]) {
                best = i;
            }
        }
        if (best >= 0) {
            current[best] -= total;
        }
        return best;
    }

    private boolean available(int i, BitSet tried, Predicate<String> live) {
        return !servers.get(i).down() && !tried.get(i) && live.test(servers.get(i).app());
    }
}
