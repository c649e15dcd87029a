package corral.proxy.balance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** nginx's round robin over an upstream's servers (proved against nginx by UpstreamGroupDifferentialTest). */
class ServerGroupTest {

    private static List<String> picks(ServerGroup group, int n, Set<String> dead) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int server = group.next(new BitSet(), app -> !dead.contains(app));
            out.add(server < 0 ? "-" : group.app(server));
        }
        return out;
    }

    @Test
    void smoothWeightedRoundRobinSpreadsByWeightWithoutBursts() {
        ServerGroup group = new ServerGroup("g", List.of(new ServerGroup.Server("a", 5, false, false),
                new ServerGroup.Server("b", 1, false, false), new ServerGroup.Server("c", 1, false, false)));
        // nginx's own example (ngx_http_upstream_round_robin.c): { a, a, b, a, c, a, a }
        assertEquals(List.of("a", "a", "b", "a", "c", "a", "a"), picks(group, 7, Set.of()));
    }

    @Test
    void downIsNeverPickedAndBackupOnlyWhenNoOtherIsLeft() {
        ServerGroup group = new ServerGroup("g", List.of(new ServerGroup.Server("a", 1, false, false),
                new ServerGroup.Server("b", 1, false, true), new ServerGroup.Server("c", 1, true, false)));
        assertEquals(List.of("a", "a"), picks(group, 2, Set.of()));
        assertEquals(List.of("c", "c"), picks(group, 2, Set.of("a")));
        BitSet tried = new BitSet();
        assertEquals(0, group.next(tried, app -> true));
        assertTrue(group.hasUntried(tried, app -> true)); // the backup
        assertEquals(2, group.next(tried, app -> true));
        assertFalse(group.hasUntried(tried, app -> true));
        assertEquals(-1, group.next(tried, app -> true));
    }
}
