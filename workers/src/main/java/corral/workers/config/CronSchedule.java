package corral.workers.config;

import com.cronutils.model.Cron;
import com.cronutils.model.definition.CronDefinition;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import java.time.ZonedDateTime;
import java.util.Locale;
import java.util.Optional;

/**
 * A {@code cron_restart} schedule in PM2's dialect (croner's): five fields (minute hour
 * day-of-month month day-of-week), or six with seconds first; names ({@code JAN}, {@code MON}),
 * day-of-week 0-7 with 0 and 7 Sunday, {@code L}, {@code W}, {@code #}, {@code ?}, and the
 * nicknames {@code @yearly}, {@code @monthly}, {@code @weekly}, {@code @daily}, {@code @hourly}.
 * Parsed by cron-utils; equal when the expression is.
 */
public final class CronSchedule {

    private static final CronParser FIVE_FIELDS = new CronParser(definition(false));
    private static final CronParser SIX_FIELDS = new CronParser(definition(true));

    private final String expression;
    private final ExecutionTime times;

    private CronSchedule(String expression, Cron cron) {
        this.expression = expression;
        this.times = ExecutionTime.forCron(cron);
    }

    /** The schedule, or the reason {@code text} is not one. */
    static CronSchedule parse(String text) throws IllegalArgumentException {
        String expression = text.trim().replaceAll("\\s+", " ");
        String nickname = expression.toLowerCase(Locale.ROOT);
        String fields = switch (nickname) {
            case "@yearly", "@annually" -> "0 0 1 1 *";
            case "@monthly" -> "0 0 1 * *";
            case "@weekly" -> "0 0 * * 0";
            case "@daily", "@midnight" -> "0 0 * * *";
            case "@hourly" -> "0 * * * *";
            default -> expression.toUpperCase(Locale.ROOT);
        };
        int count = fields.isEmpty() ? 0 : fields.split(" ").length;
        if (count != 5 && count != 6) {
            throw new IllegalArgumentException("has " + count + (count == 1 ? " field" : " fields") + ": give 5 (minute hour day month weekday) "
                    + "or 6 (second first), or @daily, @hourly, ...");
        }
        Cron cron = (count == 5 ? FIVE_FIELDS : SIX_FIELDS).parse(fields);
        cron.validate();
        return new CronSchedule(expression, cron);
    }

    /** The next time strictly after {@code now}, in its zone; empty if the schedule never fires again. */
    public Optional<ZonedDateTime> next(ZonedDateTime now) {
        return times.nextExecution(now);
    }

    public String expression() {
        return expression;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof CronSchedule schedule && schedule.expression.equals(expression);
    }

    @Override
    public int hashCode() {
        return expression.hashCode();
    }

    @Override
    public String toString() {
        return expression;
    }

    /** Vixie cron's fields, as croner reads them, with an optional seconds field in front. */
    private static CronDefinition definition(boolean seconds) {
        var builder = CronDefinitionBuilder.defineCron();
        if (seconds) {
            builder = builder.withSeconds().and();
        }
        return builder
                .withMinutes().and()
                .withHours().and()
                .withDayOfMonth().supportsL().supportsW().supportsLW().supportsQuestionMark().and()
                .withMonth().and()
                .withDayOfWeek().withValidRange(0, 7).withMondayDoWValue(1).withIntMapping(7, 0)
                .supportsHash().supportsL().supportsQuestionMark().and()
                .instance();
    }
}
