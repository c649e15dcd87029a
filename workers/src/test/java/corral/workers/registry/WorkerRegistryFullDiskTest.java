package corral.workers.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import corral.fixtures.SmallDisk;
import corral.workers.pool.PoolView;
import corral.workers.process.InstanceView;
import corral.workers.process.WorkerState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The registry of live workers on a disk that fills up: it stays current, or says loudly that it is not. */
class WorkerRegistryFullDiskTest {

    @TempDir
    Path dir;

    @Test
    void aFullDiskUsesTheReserveThenFailsLoudlyAndCatchesUpWhenThereIsRoom() throws Exception {
        try (SmallDisk disk = SmallDisk.mount(dir.resolve("run"), 1024 * 1024)) {
            Path file = disk.dir().resolve("workers.json");
            WorkerRegistry registry = new WorkerRegistry(file);
            try {
                registry.poolChanged(pool(2));
                await("the registry lists 2 workers and holds its reserve", () -> WorkerRegistry.read(file).size() == 2
                        && Files.exists(disk.dir().resolve("workers.json.reserve")));

                disk.fill();
                registry.poolChanged(pool(3));
                await("the registry lists 3 workers, written in the reserve's room", () -> WorkerRegistry.read(file).size() == 3);
                assertTrue(registry.failure().isEmpty(), registry.failure().toString());

                // Grow the registry past what the disk has left: no room, not even in reserve.
                registry.poolChanged(pool(4000));
                await("the failure is reported", () -> registry.failure().isPresent());
                assertEquals(3, WorkerRegistry.read(file).size(), "the last good file stays in place");
                assertFalse(Files.exists(disk.dir().resolve("workers.json.tmp")), "no half-written temp file is left");

                disk.free();
                await("the retry catches up once there is room", () -> registry.failure().isEmpty()
                        && WorkerRegistry.read(file).size() == 4000);
                await("the reserve is taken back", () -> Files.exists(disk.dir().resolve("workers.json.reserve")));
            } finally {
                registry.close();
            }
        }
    }

    private static PoolView pool(int workers) {
        List<InstanceView> instances = new ArrayList<>();
        for (int i = 0; i < workers; i++) {
            instances.add(new InstanceView("h5", i, i + 1, 100_000 + i, 42, 20_000 + i, WorkerState.READY, Instant.EPOCH, 0, 0));
        }
        return new PoolView("h5", workers, instances);
    }

    private static void await(String what, Callable<Boolean> condition) {
        Awaitility.await(what).atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20)).until(condition);
    }
}
