package corral.workers.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;

import corral.workers.config.CronSchedule;
import corral.workers.config.EcosystemLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** cron_restart's timer reads the injected clock: it fires once per scheduled time, not before. */
class CronReloadTest {

    /** A clock the test moves by hand. */
    static final class HandClock extends Clock {
        volatile Instant now;

        HandClock(Instant now) {
            this.now = now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    final ScheduledExecutorService loop = Executors.newSingleThreadScheduledExecutor();

    @TempDir
    Path dir;

    @AfterEach
    void stop() {
        loop.shutdownNow();
    }

    @Test
    void firesOnceWhenTheClockReachesTheTimeAndNotBefore() throws Exception {
        HandClock clock = new HandClock(Instant.parse("2026-01-01T02:59:59.900Z"));
        AtomicInteger reloads = new AtomicInteger();
        CronReload cron = new CronReload("web", loop, clock, reloads::incrementAndGet);

        Optional<CronSchedule> threeOClock = Optional.of(schedule("0 3 * * *"));
        loop.submit(() -> cron.follow(threeOClock)).get();
        Thread.sleep(300);
        assertEquals(0, reloads.get(), "the clock has not reached 03:00");

        clock.now = Instant.parse("2026-01-01T03:00:00Z");
        Awaitility.await("the 03:00 reload").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20))
                .until(() -> reloads.get() > 0);
        Thread.sleep(300);
        assertEquals(1, reloads.get(), "once at 03:00, next at 03:00 tomorrow");

        loop.submit(cron::cancel).get();
    }

    /** A schedule as the loader reads it (CronSchedule's parser is the loader's). */
    private CronSchedule schedule(String expression) throws Exception {
        Files.writeString(dir.resolve("app.js"), "");
        Path file = Files.writeString(dir.resolve("pm2.json"),
                "{apps: [{name: 'web', script: 'app.js', cron_restart: '" + expression + "'}]}");
        return EcosystemLoader.load(file, Optional.empty(), 1).apps().get(0).lifecycle().cronRestart().orElseThrow();
    }
}
