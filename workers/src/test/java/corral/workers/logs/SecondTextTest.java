package corral.workers.logs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SecondTextTest {

    @Test
    void sameTextAsTheFormatterAcrossOffsetChanges() {
        for (String zone : new String[] {"UTC", "Asia/Shanghai", "Europe/Berlin", "America/St_Johns"}) {
            // log_format's $time_local and $time_iso8601, the access line's second and offset
            for (String pattern : new String[] {"dd/MMM/yyyy:HH:mm:ss Z", "yyyy-MM-dd'T'HH:mm:ssxxx",
                    "uuuu-MM-dd'T'HH:mm:ss", "XXXXX"}) {
                DateTimeFormatter f = DateTimeFormatter.ofPattern(pattern, Locale.ROOT).withZone(ZoneId.of(zone));
                SecondText cached = new SecondText(f);
                // either side of Berlin's and St John's 2026 spring and autumn changes, second by second
                for (String change : new String[] {"2026-03-29T01:00:00Z", "2026-10-25T01:00:00Z",
                        "2026-03-08T05:30:00Z", "2026-11-01T04:30:00Z"}) {
                    Instant at = Instant.parse(change).minusSeconds(3);
                    for (int i = 0; i < 6; i++, at = at.plusMillis(999)) {
                        assertEquals(f.format(at), cached.of(at), zone + " " + at);
                    }
                }
                Random random = new Random(12);
                for (int i = 0; i < 20_000; i++) {
                    Instant at = Instant.ofEpochSecond(random.nextInt(2_000_000_000), random.nextInt(1_000_000_000));
                    assertEquals(f.format(at), cached.of(at), zone + " " + at);
                }
            }
        }
    }
}
