package corral.proxy.forward;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * When a failed attempt is tried again on another instance of the pool: nginx's
 * {@code proxy_next_upstream}. Its default, {@code error timeout}, is Corral's default too.
 *
 * <p>Corral cannot tell an instance's unparseable header ({@code invalid_header} in nginx) from a
 * header cut short by a close ({@code error}): Undertow's client closes the connection on a parse
 * error before it reports it. So an attempt that received bytes and then lost its connection is
 * retried when either condition is listed.
 *
 * @param error         a connect that failed, a connection reset or closed before a whole header
 * @param timeout       the read timeout expired before a whole header
 * @param invalidHeader the instance sent an invalid or incomplete header
 * @param nonIdempotent POST, LOCK and PATCH (nginx's non-idempotent methods) may be sent again
 *                      after they reached an instance
 * @param statuses      the response statuses that make the attempt fail ({@code http_500} ...):
 *                      its response is dropped and the next instance asked, unless no other
 *                      instance is left, when the response passes as it is
 * @param tries         {@code proxy_next_upstream_tries}: at most this many attempts in all, 0 for
 *                      no limit (each instance is still asked at most once)
 * @param timeLimit     {@code proxy_next_upstream_timeout}: no new attempt once this long has
 *                      passed since the first began; zero for no limit
 */
public record NextUpstream(boolean error, boolean timeout, boolean invalidHeader, boolean nonIdempotent,
                           Set<Integer> statuses, int tries, Duration timeLimit) {

    /** nginx's default, {@code error timeout}. */
    public static final NextUpstream DEFAULT = new NextUpstream(true, true, false, false, Set.of());

    /** The statuses nginx accepts as {@code http_NNN}. */
    private static final Set<Integer> HTTP = Set.of(500, 502, 503, 504, 403, 404, 429);

    public NextUpstream {
        statuses = Set.copyOf(statuses);
        timeLimit = timeLimit == null ? Duration.ZERO : timeLimit;
    }

    /** Conditions without a limit on the attempts or their time. */
    public NextUpstream(boolean error, boolean timeout, boolean invalidHeader, boolean nonIdempotent,
                        Set<Integer> statuses) {
        this(error, timeout, invalidHeader, nonIdempotent, statuses, 0, Duration.ZERO);
    }

    /** These conditions with {@code proxy_next_upstream_tries} and {@code proxy_next_upstream_timeout}. */
    public NextUpstream limitedTo(int tries, Duration timeLimit) {
        return new NextUpstream(error, timeout, invalidHeader, nonIdempotent, statuses, tries, timeLimit);
    }

    /**
     * Whether another attempt may start after {@code attempts}, {@code elapsedNanos} after the
     * first began (nginx's {@code peer.tries} and {@code next_upstream_timeout} checks).
     */
    boolean allowsAnother(int attempts, long elapsedNanos) {
        return (tries == 0 || attempts < tries) && (timeLimit.isZero() || elapsedNanos < timeLimit.toNanos());
    }

    /**
     * Reads {@code proxy_next_upstream}'s arguments as nginx does: {@code off} alone turns every
     * retry off.
     *
     * @throws IllegalArgumentException naming the first argument nginx would refuse
     */
    public static NextUpstream parse(List<String> conditions) {
        boolean error = false;
        boolean timeout = false;
        boolean invalidHeader = false;
        boolean nonIdempotent = false;
        Set<Integer> statuses = new TreeSet<>();
        for (String c : conditions) {
            switch (c) {
                case "error" -> error = true;
                case "timeout" -> timeout = true;
                case "invalid_header" -> invalidHeader = true;
                case "non_idempotent" -> nonIdempotent = true;
                case "off" -> {
                    if (conditions.size() > 1) {
                        throw new IllegalArgumentException("\"off\" cannot be combined with other conditions");
                    }
                }
                default -> statuses.add(status(c));
            }
        }
        return new NextUpstream(error, timeout, invalidHeader, nonIdempotent, statuses);
    }

    private static int status(String condition) {
        if (condition.startsWith("http_")) {
            String code = condition.substring(5);
            if (code.length() == 3 && code.chars().allMatch(Character::isDigit)
                    && HTTP.contains(Integer.parseInt(code))) {
                return Integer.parseInt(code);
            }
        }
        if (condition.equals("updating")) {
            throw new IllegalArgumentException("\"updating\" applies to proxy_cache only, which Corral does not have");
        }
        throw new IllegalArgumentException("invalid value \"" + condition + "\" (expected error, timeout,"
                + " invalid_header, http_500, http_502, http_503, http_504, http_403, http_404, http_429,"
                + " non_idempotent or off)");
    }
}
