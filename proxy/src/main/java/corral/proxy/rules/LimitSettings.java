package corral.proxy.rules;

import corral.proxy.limit.ConnLimiter;
import corral.proxy.limit.LimitPolicy;
import corral.proxy.limit.RateLimit;
import corral.proxy.limit.RateLimiter;
import corral.proxy.limit.RequestLimits;

import java.util.ArrayList;
import java.util.List;

/**
 * The {@code limit_req*} and {@code limit_conn*} directives of one level, inherited as nginx
 * merges them: a level with any {@code limit_req} replaces all of its parent's (likewise
 * {@code limit_conn}); status, log level and dry run are each inherited on their own. A null
 * field is not set at this level.
 */
public record LimitSettings(List<ReqRule> reqs, Integer reqStatus, LimitPolicy.Level reqLog,
                            Boolean reqDryRun, List<ConnRule> conns, Integer connStatus,
                            LimitPolicy.Level connLog, Boolean connDryRun) {

    public static final LimitSettings UNSET = new LimitSettings(null, null, null, null, null, null,
            null, null);

    /** {@code limit_req zone=NAME [burst=N] [nodelay | delay=N]}: burst and delay in milli-requests. */
    record ReqRule(ZoneSlot zone, long burst, long delay) {
    }

    /** {@code limit_conn NAME N}. */
    record ConnRule(ZoneSlot zone, int limit) {
    }

    /** These settings, each replaced by {@code inner}'s where {@code inner} sets it. */
    LimitSettings under(LimitSettings inner) {
        if (inner.equals(UNSET)) {
            return this;
        }
        return new LimitSettings(pick(inner.reqs, reqs), pick(inner.reqStatus, reqStatus),
                pick(inner.reqLog, reqLog), pick(inner.reqDryRun, reqDryRun), pick(inner.conns, conns),
                pick(inner.connStatus, connStatus), pick(inner.connLog, connLog),
                pick(inner.connDryRun, connDryRun));
    }

    private static <T> T pick(T inner, T outer) {
        return inner != null ? inner : outer;
    }

    /** The limits a request meets here, its keys made from its variables. */
    RequestLimits forRequest(RequestContext ctx) {
        if (reqs == null && conns == null) {
            return RequestLimits.NONE;
        }
        List<RateLimiter.Check> rate = new ArrayList<>();
        for (ReqRule r : reqs == null ? List.<ReqRule>of() : reqs) {
            rate.add(new RateLimiter.Check(new RateLimit(r.zone().rateZone(), r.burst(), r.delay()),
                    r.zone().key().render(ctx)));
        }
        List<ConnLimiter.Check> conn = new ArrayList<>();
        for (ConnRule c : conns == null ? List.<ConnRule>of() : conns) {
            conn.add(new ConnLimiter.Check(c.zone().connZone(), c.limit(), c.zone().key().render(ctx)));
        }
        return new RequestLimits(rate, policy(reqStatus, reqLog, reqDryRun), conn,
                policy(connStatus, connLog, connDryRun));
    }

    private static LimitPolicy policy(Integer status, LimitPolicy.Level log, Boolean dryRun) {
        LimitPolicy d = LimitPolicy.DEFAULT;
        return new LimitPolicy(status != null ? status : d.status(), log != null ? log : d.logLevel(),
                dryRun != null ? dryRun : d.dryRun());
    }
}
