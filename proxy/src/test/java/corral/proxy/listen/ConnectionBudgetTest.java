package corral.proxy.listen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ConnectionBudgetTest {

    @Test
    void aGenerousLimitGivesEachListenerItsShareWithTwoDescriptorsPerConnection() {
        ConnectionBudget b = ConnectionBudget.of(0, 20_000, 100, 24, 3);
        // reserve = 100 open + 24 x 6 + 64 = 308; (20000 - 308) / (2 x 3) = 3282
        assertEquals(3282, b.perListener());
        assertTrue(b.shortfall().isEmpty());
    }

    @Test
    void aLowLimitIsSaidWithWhatTheConfigurationWantsAndHowToRaiseIt() {
        ConnectionBudget b = ConnectionBudget.of(0, 1024, 100, 24, 3);
        assertEquals(119, b.perListener()); // (1024 - 308) / 6
        String why = b.shortfall().orElseThrow();
        assertTrue(why.contains("open-file limit is 1024") && why.contains("wants 3380") && why.contains("LimitNOFILE"), why);
    }

    @Test
    void aStarvedLimitStillLeavesEachListenerAFewConnections() {
        assertEquals(ConnectionBudget.FLOOR, ConnectionBudget.of(0, 200, 150, 4, 3).perListener());
    }

    @Test
    void aConfiguredBoundIsKeptWhenTheLimitAllowsItAndCutWhenItDoesNot() {
        assertEquals(500, ConnectionBudget.of(500, 20_000, 100, 24, 3).perListener());
        ConnectionBudget cut = ConnectionBudget.of(5000, 20_000, 100, 24, 3);
        assertEquals(3282, cut.perListener());
        assertTrue(cut.shortfall().orElseThrow().contains("3 listeners x 5000 connections"), cut.toString());
    }
}
