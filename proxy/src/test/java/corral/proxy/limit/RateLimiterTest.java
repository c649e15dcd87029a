package corral.proxy.limit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * nginx 1.22's leaky bucket on a clock the test moves: excess in milli-requests, burst,
 * delay and nodelay, several limits at one level, the empty key. (The same figures through real
 * nginx: LimitDifferentialTest.)
 */
class RateLimiterTest {

    private final AtomicLong now = new AtomicLong(1_000_000);

    private RateZone zone(String name, long rate) {
        return new RateZone(name, 1 << 20, rate, now::get);
    }

    private static RateVerdict once(RateLimit limit, String key) {
        return RateLimiter.decide(List.of(new RateLimiter.Check(limit, key)));
    }

    @Test
    void withoutBurstTheSecondRequestWithinTheIntervalIsRefused() {
        RateLimit one = new RateLimit(zone("one", 1000), 0, 0);
        assertEquals(RateVerdict.PASS, once(one, "k"));
        assertEquals(new RateVerdict.Reject("one", 1000, true), once(one, "k"));
        now.addAndGet(999);
        assertInstanceOf(RateVerdict.Reject.class, once(one, "k"));
        now.addAndGet(1);
        assertEquals(RateVerdict.PASS, once(one, "k"));
        assertEquals(RateVerdict.PASS, once(one, "other key"));
    }

    @Test
    void burstDelaysEachExtraRequestByTheRateUntilItIsFull() {
        RateLimit limit = new RateLimit(zone("b", 1000), 3000, 0);
        assertEquals(RateVerdict.PASS, once(limit, "k"));
        assertEquals(new RateVerdict.Delay(1000, "b", 1000), once(limit, "k"));
        assertEquals(new RateVerdict.Delay(2000, "b", 2000), once(limit, "k"));
        assertEquals(new RateVerdict.Delay(3000, "b", 3000), once(limit, "k"));
        assertEquals(new RateVerdict.Reject("b", 4000, true), once(limit, "k"));
    }

    @Test
    void nodelayServesTheBurstAtOnceAndDelayServesItsFirstPart() {
        RateLimit nodelay = new RateLimit(zone("n", 1000), 2000, RateLimit.NO_DELAY);
        for (int i = 0; i < 3; i++) {
            assertEquals(RateVerdict.PASS, once(nodelay, "k"));
        }
        assertInstanceOf(RateVerdict.Reject.class, once(nodelay, "k"));
        RateLimit delay = new RateLimit(zone("d", 2000), 3000, 1000);
        assertEquals(RateVerdict.PASS, once(delay, "k"));
        assertEquals(RateVerdict.PASS, once(delay, "k"));
        assertEquals(new RateVerdict.Delay(500, "d", 2000), once(delay, "k"));
    }

    @Test
    void perMinuteRatesDrainInMilliRequests() {
        RateLimit limit = new RateLimit(zone("m", 30 * 1000 / 60), 0, 0);
        assertEquals(RateVerdict.PASS, once(limit, "k"));
        now.addAndGet(1999);
        assertInstanceOf(RateVerdict.Reject.class, once(limit, "k"));
        now.addAndGet(1);
        assertEquals(RateVerdict.PASS, once(limit, "k"));
    }

    @Test
    void aRefusalByOneLimitLeavesTheOthersAsTheyWere() {
        RateZone wide = zone("wide", 1000);
        RateZone narrow = zone("narrow", 1000);
        List<RateLimiter.Check> both = List.of(
                new RateLimiter.Check(new RateLimit(wide, 5000, RateLimit.NO_DELAY), "k"),
                new RateLimiter.Check(new RateLimit(narrow, 0, 0), "k"));
        assertEquals(RateVerdict.PASS, RateLimiter.decide(both));
        assertEquals(new RateVerdict.Reject("narrow", 1000, true), RateLimiter.decide(both));
        assertEquals(new RateVerdict.Reject("narrow", 1000, true), RateLimiter.decide(both));
        // the wide zone accounted the first request only: its next excess is 1000
        assertEquals(new RateZone.Lookup(RateZone.Outcome.AGAIN, 1000), wide.lookup("k", 5000, false));
    }

    @Test
    void theLongestDelayOfTheLimitsIsWaited() {
        List<RateLimiter.Check> both = List.of(
                new RateLimiter.Check(new RateLimit(zone("slow", 500), 5000, 0), "k"),
                new RateLimiter.Check(new RateLimit(zone("fast", 1000), 5000, 0), "k"));
        assertEquals(RateVerdict.PASS, RateLimiter.decide(both));
        assertEquals(new RateVerdict.Delay(2000, "slow", 1000), RateLimiter.decide(both));
    }

    @Test
    void anEmptyKeyIsNotLimited() {
        RateLimit one = new RateLimit(zone("e", 1000), 0, 0);
        for (int i = 0; i < 5; i++) {
            assertEquals(RateVerdict.PASS, once(one, ""));
        }
    }

    @Test
    void aDrainedStateIsForgottenAfterAMinuteAndAnswersAsNoState() {
        RateZone zone = zone("x", 1000);
        RateLimit limit = new RateLimit(zone, 0, 0);
        once(limit, "k");
        assertEquals(1, zone.keys());
        now.addAndGet(60_001);
        zone.lookup("other", 0, false);
        assertEquals(RateVerdict.PASS, once(limit, "k"));
    }

    @Test
    void aZoneHoldsAsManyStatesAsNginxsSlabWouldAndForgetsTheRest() {
        RateZone zone = new RateZone("small", 32 * 1024, 1000, now::get);
        for (int i = 0; i < 1000; i++) {
            zone.lookup("key" + i, 0, true);
        }
        // 32k: 6 pages of 4 KB after the slab's own, 32 states of 128 bytes each
        assertEquals(ZoneSize.usable(32 * 1024) / 128, 192);
        org.awaitility.Awaitility.await().until(() -> zone.keys() <= 192);
    }

    @Test
    void slotsAreNginxsSlabSizes() {
        assertEquals(128, ZoneSize.slot(48, 4));
        assertEquals(128, ZoneSize.slot(48, 16));
        assertEquals(64, ZoneSize.slot(4, 4));
        assertEquals(4096, ZoneSize.slot(48, 3000));
    }
}
