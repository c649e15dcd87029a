package corral.proxy.limit;

import java.util.List;
import java.util.Objects;

/**
 * The limits one request meets, its keys already made from its variables: the
 * {@code limit_req}s and {@code limit_conn}s in effect where the request ended up (nginx's
 * preaccess phase, after the rewrites picked the location), each with its level's policy.
 */
public record RequestLimits(List<RateLimiter.Check> rate, LimitPolicy ratePolicy,
                            List<ConnLimiter.Check> conn, LimitPolicy connPolicy) {

    public static final RequestLimits NONE = new RequestLimits(List.of(), LimitPolicy.DEFAULT,
            List.of(), LimitPolicy.DEFAULT);

    public RequestLimits {
        rate = List.copyOf(rate);
        conn = List.copyOf(conn);
        Objects.requireNonNull(ratePolicy, "ratePolicy");
        Objects.requireNonNull(connPolicy, "connPolicy");
    }

    public boolean isEmpty() {
        return rate.isEmpty() && conn.isEmpty();
    }
}
