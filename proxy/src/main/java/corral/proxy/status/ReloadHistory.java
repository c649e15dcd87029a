package corral.proxy.status;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The reloads a daemon ran, for {@code corral_reloads_total{app,result}},
 * {@code corral_config_reloads_total{result}} and the status page's "last reloads": a count per
 * app and outcome since the daemon started, and the last {@value #KEPT} reloads with their
 * outcome. Reloads are rare (a release, a reload-conf), so a lock is fine here.
 */
public final class ReloadHistory {

    /** The app name under which {@code reload-conf} (and SIGHUP) is recorded. */
    public static final String CONFIG = "reload-conf";
    static final int KEPT = 20;

    /** One reload: what was reloaded, when it began, how long it took, how it ended. */
    public record Reload(String app, Instant at, long millis, boolean ok, String outcome) { }

    private final ArrayDeque<Reload> last = new ArrayDeque<>();
    private final Map<String, long[]> counts = new TreeMap<>();

    /** Records a finished reload of {@code app} (or {@link #CONFIG}). */
    public synchronized void record(String app, Instant at, long millis, boolean ok, String outcome) {
        last.addFirst(new Reload(app, at, millis, ok, outcome));
        while (last.size() > KEPT) {
            last.removeLast();
        }
        counts.computeIfAbsent(app, a -> new long[2])[ok ? 0 : 1]++;
    }

    /** The last reloads, newest first. */
    public synchronized List<Reload> last() {
        return new ArrayList<>(last);
    }

    /** How many reloads of {@code app} ended well ({@code ok}) or not. */
    public synchronized long count(String app, boolean ok) {
        long[] c = counts.get(app);
        return c == null ? 0 : c[ok ? 0 : 1];
    }

    /** The apps reloaded at least once (and {@link #CONFIG} if reload-conf ran). */
    public synchronized List<String> apps() {
        return new ArrayList<>(counts.keySet());
    }
}
