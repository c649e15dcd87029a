package corral.workers.logs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class TimestampFormatTest {

    final Clock clock = Clock.fixed(Instant.parse("2026-11-26T09:05:03.042Z"), ZoneOffset.ofHours(8));

    String prefix(String dayjs) {
        return new String(TimestampFormat.ofDayjs(dayjs, clock).prefixNow(), StandardCharsets.UTF_8);
    }

    @Test
    void translatesPm2sUsualDayjsPatterns() {
        assertEquals("2026-11-26 17:05:03 +08:00: ", prefix("YYYY-MM-DD HH:mm:ss Z"));
        assertEquals("2026-11-26T17:05:03.042: ", prefix("YYYY-MM-DDTHH:mm:ss.SSS"));
        assertEquals("26/11/26 17:05 +0800: ", prefix("DD/MM/YY HH:mm ZZ"));
    }

    @Test
    void bracketedTextIsLiteral() {
        assertEquals("at 17h: ", prefix("[at] HH[h]"));
    }
}
