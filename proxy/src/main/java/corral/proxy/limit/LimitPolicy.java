package corral.proxy.limit;

/**
 * What a level does with a request its limits refuse or delay: {@code limit_req_status} /
 * {@code limit_conn_status} (503 by default), {@code *_log_level} (error by default; a delay
 * is logged one level lower, as nginx does) and {@code *_dry_run} (count and log, but let the
 * request through at once).
 */
public record LimitPolicy(int status, Level logLevel, boolean dryRun) {

    public static final LimitPolicy DEFAULT = new LimitPolicy(503, Level.ERROR, false);

    /** nginx's levels for these directives, most verbose first. */
    public enum Level {
        INFO, NOTICE, WARN, ERROR;

        /** nginx logs a delay one level below a refusal (info stays info). */
        public Level forDelay() {
            return this == INFO ? INFO : values()[ordinal() - 1];
        }

        public System.Logger.Level logger() {
            return switch (this) {
                case ERROR -> System.Logger.Level.ERROR;
                case WARN -> System.Logger.Level.WARNING;
                default -> System.Logger.Level.INFO;
            };
        }
    }
}
