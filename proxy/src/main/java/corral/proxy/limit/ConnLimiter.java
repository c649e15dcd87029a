package corral.proxy.limit;

import java.util.ArrayList;
import java.util.List;

/**
 * The {@code limit_conn}s of one level applied to one request, as ngx_http_limit_conn_handler:
 * each takes one of its key's places in turn; the first that has none left refuses the request
 * and the places taken so far are given back. An empty key is not limited, nor one over 255
 * bytes (nginx logs it). The places a request holds are given back when it ends.
 */
public final class ConnLimiter {

    /** nginx skips keys longer than this. */
    static final int MAX_KEY = 255;

    /** One limit ({@code limit_conn ZONE N}) and the request's key in its zone. */
    public record Check(ConnZone zone, int limit, String key) {
    }

    /** What the limits decided: the places held, or the zone that refused. */
    public sealed interface Verdict {
    }

    /** Let through, holding {@code held} until the request ends ({@link #release}). */
    public record Held(List<Check> held) implements Verdict {

        public void release() {
            held.forEach(c -> c.zone().release(c.key()));
        }
    }

    /** Refused by {@code zone}: its key's places are taken ({@code busy}), or no room for the key. */
    public record Refused(String zone, boolean busy) implements Verdict {
    }

    public static final Held NOTHING = new Held(List.of());

    private ConnLimiter() {
    }

    public static Verdict acquire(List<Check> checks) {
        List<Check> held = new ArrayList<>();
        for (Check c : checks) {
            if (c.key().isEmpty() || c.key().length() > MAX_KEY) {
                continue;
            }
            ConnZone.Outcome outcome = c.zone().acquire(c.key(), c.limit());
            if (outcome != ConnZone.Outcome.ACQUIRED) {
                new Held(held).release();
                return new Refused(c.zone().name(), outcome == ConnZone.Outcome.BUSY);
            }
            held.add(c);
        }
        return held.isEmpty() ? NOTHING : new Held(List.copyOf(held));
    }
}
