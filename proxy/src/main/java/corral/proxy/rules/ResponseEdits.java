package corral.proxy.rules;

import corral.proxy.files.HttpTime;
import corral.proxy.rules.ResponseRules.AddHeader;
import corral.proxy.rules.ResponseRules.Expires;
import corral.proxy.rules.ResponseRules.RedirectRule;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.function.UnaryOperator;

/**
 * What the rules change in the head of one request's answer, once its status and headers are
 * known: {@code proxy_redirect} on a proxied answer's Location and Refresh (upstream module),
 * then {@code expires} and {@code add_header} (nginx's headers filter), in nginx 1.22's order.
 * Bound to the request's variables; used once, by the thread that writes the answer.
 */
public final class ResponseEdits {

    /** No edits: what an answer gets where no level has any of these directives. */
    public static final ResponseEdits NONE = new ResponseEdits(null, ResponseRules.UNSET, false, 0, null);


    private final RequestContext ctx;
    private final ResponseRules rules;
    private final boolean proxied;
    /** The status an error_page gives the answer (nginx's {@code r->err_status}); 0 for its own. */
    private final int status;
    /** The Location of a redirect an error page took, which nginx's answer keeps; null for none. */
    private final String location;

    private ResponseEdits(RequestContext ctx, ResponseRules rules, boolean proxied, int status, String location) {
        this.ctx = ctx;
        this.rules = rules;
        this.proxied = proxied;
        this.status = status;
        this.location = location;
    }

    /**
     * The edits of the level {@code ctx} ended in; {@code proxied} for an instance's answer, whose
     * status becomes {@code status} unless it is 0 (an {@code error_page}'s status, which nginx
     * sets before its header filters run), and that has the Location {@code location} unless it
     * is null.
     */
    static ResponseEdits of(RequestContext ctx, ResponseRules rules, boolean proxied, int status,
                            String location) {
        boolean none = (rules.redirects() == null || rules.redirects().isEmpty() || !proxied)
                && rules.headers() == null
                && (rules.expires() == null || rules.expires().kind() == Expires.Kind.OFF);
        return none && status == 0 && location == null ? NONE
                : new ResponseEdits(ctx, rules, proxied, status, location);
    }

    /** Applies the edits to {@code head}; {@code now} is the answer's time (nginx's ngx_time()). */
    public void apply(ResponseHead head, Instant now) {
        if (this == NONE) {
            return;
        }
        if (status > 0) {
            head.status(status);
        }
        if (location != null && head.values("Location").isEmpty()) {
            head.set("Location", List.of(location));
        }
        if (proxied && rules.redirects() != null && !rules.redirects().isEmpty()) {
            edit(head, "Location", this::location);
            edit(head, "Refresh", this::refresh);
        }
        boolean safe = ResponseRules.safeStatus(head.status());
        Expires expires = rules.expires();
        if (safe && expires != null && expires.kind() != Expires.Kind.OFF) {
            setExpires(head, expires, now.getEpochSecond());
        }
        if (rules.headers() != null) {
            for (AddHeader h : rules.headers()) {
                if (safe || h.always()) {
                    addHeader(head, h);
                }
            }
        }
    }

    // ---- proxy_redirect ----

    /**
     * nginx rewrites each Location line; one that a rule rewrote and that then starts with "/"
     * is made absolute by its header filter (absolute_redirect), one no rule matched is left as
     * the instance wrote it.
     */
    private String location(String value) {
        String rewritten = rewrite(value, 0);
        return rewritten == null ? value : Rewriter.absolute(rewritten, ctx);
    }

    /** Refresh: the URL after the first "url=" (any case), if any. */
    private String refresh(String value) {
        int at = value.toLowerCase(Locale.ROOT).indexOf("url=");
        String rewritten = at < 0 ? null : rewrite(value, at + 4);
        return rewritten == null ? value : rewritten;
    }

    private static void edit(ResponseHead head, String name, UnaryOperator<String> edit) {
        List<String> values = head.values(name);
        if (!values.isEmpty()) {
            head.set(name, values.stream().map(edit).toList());
        }
    }

    /** The value with its URL from {@code from} on rewritten by the first rule that matches; null when none does. */
    private String rewrite(String value, int from) {
        String url = value.substring(from);
        for (RedirectRule rule : rules.redirects()) {
            if (rule instanceof RedirectRule.Prefix p) {
                String pattern = p.from().render(ctx);
                if (url.startsWith(pattern)) {
                    return value.substring(0, from) + p.to().render(ctx)
                            + url.substring(pattern.length());
                }
            } else if (rule instanceof RedirectRule.Regex r) {
                String[] groups = r.regex().exec(url);
                if (groups != null) {
                    ctx.matched(r.regex(), groups);
                    return value.substring(0, from) + r.to().render(ctx);
                }
            }
        }
        return null;
    }

    // ---- expires and add_header ----

    /**
     * nginx's ngx_http_set_expires: Expires replaced (or added), the first Cache-Control line
     * given the max-age and the other lines removed.
     */
    private static void setExpires(ResponseHead head, Expires expires, long now) {
        String date;
        String cacheControl;
        switch (expires.kind()) {
            case EPOCH -> {
                date = "Thu, 01 Jan 1970 00:00:01 GMT";
                cacheControl = "no-cache";
            }
            case MAX -> {
                date = "Thu, 31 Dec 2037 23:55:55 GMT";
                cacheControl = "max-age=315360000";
            }
            default -> {
                long at;
                long maxAge;
                long modified = expires.kind() == Expires.Kind.MODIFIED
                        ? lastModified(head) : -1;
                if (expires.kind() == Expires.Kind.DAILY) {
                    at = nextTimeOfDay(expires.seconds(), now);
                    maxAge = at - now;
                } else if (expires.seconds() == 0) {
                    at = now;
                    maxAge = 0;
                } else if (modified < 0) {
                    at = now + expires.seconds();
                    maxAge = expires.seconds();
                } else {
                    at = modified + expires.seconds();
                    maxAge = at - now;
                }
                date = HttpTime.format(at);
                cacheControl = expires.seconds() < 0 || maxAge < 0 ? "no-cache"
                        : "max-age=" + maxAge;
            }
        }
        head.set("Expires", List.of(date));
        head.set("Cache-Control", List.of(cacheControl));
    }

    /**
     * nginx's ngx_next_time: the next time the local clock (the machine's time zone) shows
     * {@code secondOfDay}, later than now (today's, else tomorrow's).
     */
    private static long nextTimeOfDay(long secondOfDay, long now) {
        ZoneId zone = ZoneId.systemDefault();
        ZonedDateTime today = Instant.ofEpochSecond(now).atZone(zone).toLocalDate().atStartOfDay(zone);
        long next = today.plusSeconds(secondOfDay).toEpochSecond();
        return next > now ? next : today.plusDays(1).plusSeconds(secondOfDay).toEpochSecond();
    }

    /** The answer's Last-Modified in epoch seconds; -1 when it has none or nginx cannot read it. */
    private static long lastModified(ResponseHead head) {
        List<String> values = head.values("Last-Modified");
        if (values.isEmpty()) {
            return -1;
        }
        try {
            return ZonedDateTime.parse(values.get(0).trim(), DateTimeFormatter.RFC_1123_DATE_TIME)
                    .toEpochSecond();
        } catch (DateTimeParseException e) {
            return -1;
        }
    }

    /** An empty value adds nothing (and removes the ETag or Last-Modified it replaces). */
    private void addHeader(ResponseHead head, AddHeader h) {
        String value = h.value() == null ? "" : h.value().render(ctx);
        if (h.replaces()) {
            List<String> old = head.values(h.name());
            if (value.isEmpty()) {
                head.set(h.name(), List.of());
            } else if (old.isEmpty()) {
                head.add(h.name(), value);
            } else {
                head.set(h.name(), List.of(value));
            }
        } else if (!value.isEmpty()) {
            head.add(h.name(), value);
        }
    }
}
