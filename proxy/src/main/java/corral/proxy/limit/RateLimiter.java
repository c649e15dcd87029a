package corral.proxy.limit;

import java.util.ArrayList;
import java.util.List;

/**
 * The {@code limit_req}s of one level applied to one request, in nginx 1.22's order
 * (ngx_http_limit_req_handler): each limit is looked up in turn, only the last one stores its
 * excess at once; a refusal by any leaves the others as they were; once all let the request
 * through, the earlier ones are accounted too, and the request waits for the longest delay any
 * of them asks for. An empty key is not limited; nor is one over 65535 bytes (nginx logs it).
 */
public final class RateLimiter {

    /** nginx skips keys longer than this. */
    static final int MAX_KEY = 65535;

    /** One limit and the key the request has in its zone. */
    public record Check(RateLimit limit, String key) {
    }

    private RateLimiter() {
    }

    public static RateVerdict decide(List<Check> checks) {
        List<Check> again = new ArrayList<>();
        RateZone.Lookup rc = null;
        Check limit = null;
        for (int n = 0; n < checks.size(); n++) {
            limit = checks.get(n);
            String key = limit.key();
            if (key.isEmpty() || key.length() > MAX_KEY) {
                continue;
            }
            rc = limit.limit().zone().lookup(key, limit.limit().burst(), n == checks.size() - 1);
            if (rc.outcome() != RateZone.Outcome.AGAIN) {
                break;
            }
            again.add(limit);
        }
        if (rc == null) {
            return RateVerdict.PASS;
        }
        if (rc.outcome() == RateZone.Outcome.BUSY || rc.outcome() == RateZone.Outcome.NO_ROOM) {
            return new RateVerdict.Reject(limit.limit().zone().name(), rc.excess(),
                    rc.outcome() == RateZone.Outcome.BUSY);
        }
        // the loop can end on AGAIN when the last keys are empty: nginx then starts from no excess
        long excess = rc.outcome() == RateZone.Outcome.AGAIN ? 0 : rc.excess();
        return account(again, limit, excess);
    }

    private static RateVerdict account(List<Check> again, Check limit, long excess) {
        long maxDelay = limit.limit().delayFor(excess);
        for (int i = again.size() - 1; i >= 0; i--) {
            Check c = again.get(i);
            long e = c.limit().zone().account(c.key());
            long d = c.limit().delayFor(e);
            if (d > maxDelay) {
                maxDelay = d;
                excess = e;
                limit = c;
            }
        }
        return maxDelay == 0 ? RateVerdict.PASS : new RateVerdict.Delay(maxDelay, limit.limit().zone().name(), excess);
    }
}
