package corral.proxy.limit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.util.List;
import org.junit.jupiter.api.Test;

/** limit_conn's counting, as ngx_http_limit_conn_handler. (Through real nginx: LimitDifferentialTest.) */
class ConnLimiterTest {

    @Test
    void aKeyHoldsAtMostItsLimitAndAPlaceComesBackWhenARequestEnds() {
        ConnZone zone = new ConnZone("c", 1 << 20);
        List<ConnLimiter.Check> checks = List.of(new ConnLimiter.Check(zone, 2, "k"));
        ConnLimiter.Held a = (ConnLimiter.Held) ConnLimiter.acquire(checks);
        ConnLimiter.acquire(checks);
        assertEquals(new ConnLimiter.Refused("c", true), ConnLimiter.acquire(checks));
        a.release();
        assertInstanceOf(ConnLimiter.Held.class, ConnLimiter.acquire(checks));
        assertEquals(2, zone.inProgress("k"));
    }

    @Test
    void aRefusalGivesBackThePlacesTakenByTheEarlierLimits() {
        ConnZone perServer = new ConnZone("server", 1 << 20);
        ConnZone perIp = new ConnZone("ip", 1 << 20);
        ConnLimiter.acquire(List.of(new ConnLimiter.Check(perIp, 1, "1.2.3.4")));
        List<ConnLimiter.Check> both = List.of(new ConnLimiter.Check(perServer, 10, "s"),
                new ConnLimiter.Check(perIp, 1, "1.2.3.4"));
        assertEquals(new ConnLimiter.Refused("ip", true), ConnLimiter.acquire(both));
        assertEquals(0, perServer.inProgress("s"));
    }

    @Test
    void aFullZoneRefusesANewKeyButNotAKnownOne() {
        ConnZone zone = new ConnZone("tiny", 32 * 1024);
        int held = 0;
        while (zone.acquire("key" + held, 1) == ConnZone.Outcome.ACQUIRED) {
            held++;
        }
        // 6 pages of 4 KB, 64 states of 64 bytes each
        assertEquals(384, held);
        assertEquals(ConnZone.Outcome.NO_ROOM, zone.acquire("new", 1));
        zone.release("key0");
        assertEquals(ConnZone.Outcome.ACQUIRED, zone.acquire("new", 1));
        assertEquals(ConnLimiter.NOTHING, ConnLimiter.acquire(List.of(new ConnLimiter.Check(zone, 1, ""))));
    }
}
