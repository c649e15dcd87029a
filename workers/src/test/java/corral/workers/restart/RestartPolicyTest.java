package corral.workers.restart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import corral.workers.restart.RestartPolicy.Decision;
import corral.workers.restart.RestartPolicy.History;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class RestartPolicyTest {

    static final Duration MIN_UPTIME = Duration.ofSeconds(1);

    RestartPolicy policy(boolean autorestart, int maxRestarts, RestartDelay delay) {
        return new RestartPolicy(autorestart, List.of(0), MIN_UPTIME, maxRestarts, delay);
    }

    @Test
    void aCrashAfterMinUptimeRestartsAndClearsTheUnstableCount() {
        var d = policy(true, 3, new FixedDelay(Duration.ofMillis(200)))
                .afterExit(1, Duration.ofSeconds(5), new History(2, Duration.ZERO));
        var restart = assertInstanceOf(Decision.Restart.class, d);
        assertEquals(Duration.ofMillis(200), restart.delay());
        assertEquals(0, restart.history().unstableExits());
    }

    @Test
    void maxRestartsUnstableExitsInARowMakeTheSlotErrored() {
        var p = policy(true, 3, new FixedDelay(Duration.ZERO));
        History h = History.NONE;
        for (int i = 0; i < 2; i++) {
            h = assertInstanceOf(Decision.Restart.class, p.afterExit(1, Duration.ofMillis(100), h)).history();
        }
        assertInstanceOf(Decision.Errored.class, p.afterExit(1, Duration.ofMillis(100), h));
    }

    @Test
    void autorestartOffAndStopExitCodesLeaveTheSlotEmpty() {
        assertInstanceOf(Decision.Stay.class,
                policy(false, 3, new FixedDelay(Duration.ZERO)).afterExit(1, Duration.ofSeconds(9), History.NONE));
        assertInstanceOf(Decision.Stay.class,
                policy(true, 3, new FixedDelay(Duration.ZERO)).afterExit(0, Duration.ofSeconds(9), History.NONE));
    }

    @Test
    void exponentialBackoffGrowsByHalfCapsAtFifteenSecondsAndResetsAfterThirtySecondsUp() {
        var backoff = new ExponentialBackoff(Duration.ofMillis(100));
        Duration short_ = Duration.ofMillis(10);
        assertEquals(Duration.ofMillis(100), backoff.next(short_, Duration.ZERO));
        assertEquals(Duration.ofMillis(150), backoff.next(short_, Duration.ofMillis(100)));
        assertEquals(Duration.ofMillis(225), backoff.next(short_, Duration.ofMillis(150)));
        assertEquals(Duration.ofSeconds(15), backoff.next(short_, Duration.ofSeconds(14)));
        assertEquals(Duration.ofMillis(100), backoff.next(Duration.ofSeconds(30), Duration.ofSeconds(14)));
    }
}
