package corral.proxy.forward;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.lang.ref.WeakReference;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Random;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileAccessLogTest {
    @TempDir
    Path dir;

    @Test
    void aLineHasTheRequestThePoolTheInstanceAndTheFigures() {
        AccessRecord record = new AccessRecord(Instant.parse("2026-11-24T10:00:00.123Z"), "10.0.0.7", "h5.example.com",
                "GET", "/h5/page/x?a=\"b\"", "h5", 3, 4242, 2, 200, 20480, 12);

        String line = record.line();

        assertTrue(line.endsWith(" 10.0.0.7 h5.example.com \"GET /h5/page/x?a=%22b%22\" 200 20480 12ms pool=h5 inst=3 pid=4242 tries=2"),
                line);
        assertEquals("- \"GET /\" 503 40 0ms pool=h5 inst=- pid=- tries=0", new AccessRecord(Instant.EPOCH, "1.2.3.4", null,
                "GET", "/", "h5", -1, 0, 0, 503, 40, 0).line().split(" 1.2.3.4 ")[1]);
    }

    @Test
    void reopenStartsANewFileAfterLogrotateMovedTheOldOne() throws Exception {
        Path file = dir.resolve("logs/access.log");
        try (FileAccessLog log = new FileAccessLog(file, Duration.ofMillis(50), 1000)) {
            log.log(record("/one"));
            log.log(record("/two"));
            log.flush();
            Path rotated = dir.resolve("logs/access.log.1");
            Files.move(file, rotated);
            log.log(record("/three"));

            log.reopen();
            log.log(record("/four"));
            log.flush();

            assertEquals(3, Files.readAllLines(rotated).size());
            List<String> current = Files.readAllLines(file);
            assertEquals(1, current.size());
            assertTrue(current.get(0).contains("\"GET /four\""), current.toString());
        }
    }

    @Test
    void theWriterThreadFlushesOnItsOwn() throws Exception {
        Path file = dir.resolve("access.log");
        try (FileAccessLog log = new FileAccessLog(file, Duration.ofMillis(20), 1000)) {
            log.log(record("/background"));
            Awaitility.await("the writer thread flushed").atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(10))
                    .untilAsserted(() -> assertTrue(Files.readString(file).contains("/background")));
        }
    }

    @Test
    void recordsBeyondTheQueueLimitAreCountedNotKept() throws Exception {
        Path file = dir.resolve("access.log");
        FileAccessLog log = new FileAccessLog(file, Duration.ofHours(1), 2);
        log.log(record("/a"));
        log.log(record("/b"));
        log.log(record("/c"));
        log.close();

        assertEquals(1, log.dropped());
        assertEquals(2, Files.readAllLines(file).size());
    }

    @Test
    void aRecordIsWrittenInUtf8AndALogFormatLineOneByteAChar() throws Exception {
        Path file = dir.resolve("access.log");
        // non-ASCII after a line longer than the writer's first buffer, and ASCII after both, so the
        // reused buffer is seen growing and then holding a shorter line
        List<AccessRecord> records = List.of(record("/" + "x".repeat(600)), record("/h5/\u9875?q=caf\u00e9&e=\uD83D\uDE00"),
                record("/ascii"));
        // a log_format line holds bytes (one char each); a char past 0xFF is written '?' (a pair: one)
        List<String> byteLines = List.of("GET /caf\u00e9 \u00ff \u0080", "\u4e2d \uD83D\uDE00 end", "plain");
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        try (FileAccessLog log = new FileAccessLog(file, Duration.ofHours(1), 1000)) {
            for (int i = 0; i < records.size(); i++) {
                log.log(records.get(i));
                log.log(byteLines.get(i));
                expected.write(records.get(i).line().getBytes(StandardCharsets.UTF_8));
                expected.write('\n');
                expected.write(byteLines.get(i).getBytes(StandardCharsets.ISO_8859_1));
                expected.write('\n');
            }
            log.flush();
        }
        assertArrayEquals(expected.toByteArray(), Files.readAllBytes(file));
        assertTrue(Files.readString(file, StandardCharsets.ISO_8859_1).contains("? ? end\n"), "'?' for the pair");
    }

    /**
     * A queued record is formatted into the file's buffer within moments, whatever the flush
     * interval: held until the flush (a second in the daemon), records outlived the young
     * collections under load and filled the old generation (issue 12). The record is unreachable
     * once formatted, so a collection clears a weak reference to it; the line reaches the file at
     * the flush.
     */
    @Test
    void aRecordIsFormattedLongBeforeTheFlushAndLetGo() throws Exception {
        Path file = dir.resolve("access.log");
        try (FileAccessLog log = new FileAccessLog(file, Duration.ofMinutes(10), 1000)) {
            Thread.sleep(50); // the writer is parked for the whole interval: the record must wake it
            AccessRecord record = record("/held");
            WeakReference<AccessRecord> formatted = new WeakReference<>(record);
            log.log(record);
            record = null;
            Awaitility.await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50)).until(() -> {
                System.gc();
                return formatted.get() == null;
            });
            assertEquals(0, Files.size(file), "written out at the flush, not before");
            log.flush();
            assertTrue(Files.readString(file).contains("\"GET /held\""), Files.readString(file));
        }
    }

    @Test
    void theTimeIsWrittenAsIsoOffsetDateTime() {
        DateTimeFormatter iso = DateTimeFormatter.ISO_OFFSET_DATE_TIME.withZone(ZoneId.systemDefault());
        Random random = new Random(12);
        for (int i = 0; i < 200_000; i++) {
            // nanoseconds with 0 to 9 trailing zeros, the fraction's every width
            int nanos = random.nextInt(1_000_000_000);
            nanos -= nanos % (int) Math.pow(10, i % 10);
            Instant at = Instant.ofEpochSecond(random.nextInt(2_000_000_000), nanos);
            assertEquals(iso.format(at), AccessRecord.timestamp(at), at.toString());
        }
    }

    private static AccessRecord record(String uri) {
        return new AccessRecord(Instant.now(), "127.0.0.1", "localhost", "GET", uri, "h5", 0, 1, 1, 200, 2, 1);
    }
}
