package corral.workers.proc;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ProcTableTest {

    @Test
    void aTreeIsTheProcessAndItsDescendantsWithTheirStartTimes() throws Exception {
        // sh -> sleep: a parent with one child, both alive while the table is read
        Process sh = new ProcessBuilder("sh", "-c", "sleep 30 & wait").start();
        try {
            long child = await("sh's child").atMost(Duration.ofSeconds(5))
                    .until(() -> ProcFs.descendants(sh.pid()), children -> !children.isEmpty()).get(0);
            Map<Long, Long> tree = ProcTable.read().tree(sh.pid());
            assertEquals(List.of(sh.pid(), child), List.copyOf(tree.keySet()));
            assertEquals(ProcFs.startTime(sh.pid()).getAsLong(), tree.get(sh.pid()));
            assertEquals(ProcFs.startTime(child).getAsLong(), tree.get(child));
        } finally {
            sh.descendants().forEach(ProcessHandle::destroyForcibly);
            sh.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void rssAndCpuAreThoseProcSaysForEachProcess() {
        long self = ProcessHandle.current().pid();
        ProcTable table = ProcTable.read();
        long fromStatus = ProcFs.rssBytes(self);
        long fromTable = table.rssBytes(List.of(self));
        // The same kernel counter (stat's rss pages, status's VmRSS), read a moment apart.
        assertTrue(Math.abs(fromTable - fromStatus) < 8 << 20, fromTable + " vs " + fromStatus);
        assertTrue(table.cpuNanos(List.of(self)) > 0);
        assertEquals(0, table.rssBytes(List.of(Long.MAX_VALUE)));
        assertTrue(table.tree(Long.MAX_VALUE).isEmpty());
    }
}
