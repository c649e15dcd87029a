package corral.workers.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** cron_restart in PM2's (croner's) dialect: when it fires, and what is refused at load. */
class CronScheduleTest extends EcosystemTest {

    static final ZonedDateTime NOW = ZonedDateTime.of(2026, 1, 1, 2, 59, 30, 0, ZoneId.of("Europe/Paris"));


    static ZonedDateTime next(String expression, ZonedDateTime after) {
        return CronSchedule.parse(expression).next(after).orElseThrow();
    }

    @Test
    void fiveFieldsAreMinuteHourDayMonthWeekdayInTheClocksZone() {
        assertEquals(NOW.withHour(3).withMinute(0).withSecond(0), next("0 3 * * *", NOW));
        assertEquals(NOW.withMinute(59).withSecond(0).plusDays(1).withHour(2), next("59 2 * * *", NOW));
    }

    @Test
    void sixFieldsPutSecondsFirst() {
        assertEquals(NOW.withSecond(40), next("*/20 * * * * *", NOW));
    }

    @Test
    void weekdaysTakeSevenOrZeroForSundayAndNames() {
        ZonedDateTime sunday = ZonedDateTime.of(2026, 1, 4, 0, 0, 0, 0, NOW.getZone());
        for (String expression : List.of("0 0 * * 0", "0 0 * * 7", "0 0 * * SUN", "0 0 * * sun", "@weekly")) {
            assertEquals(sunday, next(expression, NOW), expression);
        }
    }

    @Test
    void nicknamesMeanWhatCronSays() {
        assertEquals(ZonedDateTime.of(2026, 1, 2, 0, 0, 0, 0, NOW.getZone()), next("@daily", NOW));
        assertEquals(NOW.withHour(3).withMinute(0).withSecond(0), next("@hourly", NOW));
    }

    @Test
    void anAppReadsItUnderBothSpellingsAndZeroMeansNone() throws ConfigException {
        fixture.script("app.js");
        assertEquals(Optional.of("0 3 * * *"), fixture.app(EcosystemFixture.appWith("cron_restart", "\"0 3 * * *\""))
                .lifecycle().cronRestart().map(CronSchedule::expression));
        assertEquals(Optional.of("@daily"), fixture.app(EcosystemFixture.appWith("cron", "\"@daily\""))
                .lifecycle().cronRestart().map(CronSchedule::expression));
        assertEquals(Optional.empty(), fixture.app(EcosystemFixture.appWith("cron_restart", "0")).lifecycle().cronRestart());
        assertEquals(Optional.empty(), fixture.app(EcosystemFixture.appWith("cron_restart", "\"0\"")).lifecycle().cronRestart());
    }

    @Test
    void anInvalidExpressionIsRefusedAtLoadWithTheReason() {
        fixture.script("app.js");
        for (String bad : List.of("\"61 3 * * *\"", "\"0 3 * *\"", "\"nope\"", "\"0 25 * * *\"", "15")) {
            List<String> errors = fixture.errors(EcosystemFixture.appWith("cron_restart", bad));
            assertEquals(1, errors.size(), bad + ": " + errors);
            assertTrue(errors.get(0).startsWith(fixture.at(4) + "app 'web': cron_restart: " + bad + " is not a cron expression"),
                    errors.get(0));
        }
    }
}
