package corral.proxy.balance;

import static corral.proxy.balance.Instances.ready;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class LeastInFlightTest {
    private final AtomicInteger poolLoad = new AtomicInteger();
    private final Upstream a = new Upstream(ready("h5", 0, 1), poolLoad);
    private final Upstream b = new Upstream(ready("h5", 1, 2), poolLoad);
    private final Upstream c = new Upstream(ready("h5", 2, 3), poolLoad);

    @Test
    void choosesTheInstanceWithFewestRequestsInFlight() {
        a.acquire();
        a.acquire();
        c.acquire();
        BalancePolicy policy = new LeastInFlight();
        for (int i = 0; i < 6; i++) {
            assertSame(b, policy.choose(List.of(a, b, c)));
        }
    }

    @Test
    void breaksTiesRoundRobin() {
        BalancePolicy policy = new LeastInFlight();
        List<Upstream> chosen = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            chosen.add(policy.choose(List.of(a, b, c)));
        }
        assertEquals(List.of(a, b, c, a, b, c), chosen);
    }

    @Test
    void tiesAmongTheLeastLoadedOnlyRotateAmongThem() {
        b.acquire();
        BalancePolicy policy = new LeastInFlight();
        Set<Upstream> chosen = new HashSet<>();
        for (int i = 0; i < 6; i++) {
            chosen.add(policy.choose(List.of(a, b, c)));
        }
        assertEquals(Set.of(a, c), chosen);
    }

    @Test
    void roundRobinIgnoresLoad() {
        a.acquire();
        a.acquire();
        BalancePolicy policy = new RoundRobin();
        List<Upstream> chosen = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            chosen.add(policy.choose(List.of(a, b)));
        }
        assertEquals(List.of(a, b, a, b), chosen);
    }
}
