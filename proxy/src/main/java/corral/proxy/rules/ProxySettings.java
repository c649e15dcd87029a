package corral.proxy.rules;

import corral.proxy.accesslog.AccessLogTarget;
import corral.proxy.forward.NextUpstream;
import corral.proxy.gzip.GzipSettings;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The settings of a server or location that change how its requests are forwarded, inherited
 * as nginx inherits them (a level that does not set one takes its parent's). Built once at
 * load; a {@link RouteDecision.Proxy} carries the location's by reference.
 *
 * @param readTimeout {@code proxy_read_timeout}: longest silence of the instance; null when no
 *                    level sets it (the app's, from pm2.json, applies)
 * @param maxBodySize {@code client_max_body_size} in bytes, 0 for no limit; -1 when no level
 *                    sets it (conf/corral.properties' client.max.body.bytes applies)
 * @param gzip        the gzip directives, merged field by field
 * @param response    {@code proxy_redirect}, {@code add_header} and {@code expires}, merged as
 *                    nginx merges each
 * @param limits      the limit_req and limit_conn directives, merged as nginx merges them
 * @param nextUpstream {@code proxy_next_upstream}; null when no level sets it (nginx's default,
 *                    {@code error timeout}, applies)
 * @param accessLogs  the {@code access_log}s in effect: empty for {@code off}, null when no level
 *                    has one (Corral's own log/access.log then applies); a level's replace its
 *                    parent's, as in nginx
 * @param stubStatus  the location answers with {@code stub_status}'s page (not inherited)
 * @param files       root, alias, index, try_files, types and the like: what a request no
 *                    proxy_pass takes is answered with
 * @param nextLimits  {@code proxy_next_upstream_tries} and {@code proxy_next_upstream_timeout},
 *                    each inherited on its own, as nginx merges them apart from the conditions
 */
public record ProxySettings(Duration readTimeout, long maxBodySize, GzipSettings gzip,
                            ResponseRules response, LimitSettings limits, NextUpstream nextUpstream,
                            List<AccessLogTarget> accessLogs, boolean stubStatus, FileSettings files,
                            NextUpstreamLimits nextLimits) {

    /**
     * {@code proxy_next_upstream_tries} and {@code proxy_next_upstream_timeout} as a level sets
     * them; null where it does not.
     */
    public record NextUpstreamLimits(Integer tries, Duration timeout) {
        public static final NextUpstreamLimits UNSET = new NextUpstreamLimits(null, null);

        NextUpstreamLimits under(NextUpstreamLimits inner) {
            return new NextUpstreamLimits(inner.tries != null ? inner.tries : tries,
                    inner.timeout != null ? inner.timeout : timeout);
        }
    }

    /** Nothing set: Corral's own settings apply. */
    public static final ProxySettings NONE = new ProxySettings(null, -1);

    public ProxySettings {
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(files, "files");
        Objects.requireNonNull(nextLimits, "nextLimits");
        accessLogs = accessLogs == null ? null : List.copyOf(accessLogs);
    }

    public ProxySettings(Duration readTimeout, long maxBodySize) {
        this(readTimeout, maxBodySize, GzipSettings.UNSET);
    }

    public ProxySettings(Duration readTimeout, long maxBodySize, GzipSettings gzip) {
        this(readTimeout, maxBodySize, gzip, ResponseRules.UNSET, LimitSettings.UNSET, null, null, false);
    }

    public ProxySettings(Duration readTimeout, long maxBodySize, GzipSettings gzip, ResponseRules response,
                         LimitSettings limits, NextUpstream nextUpstream, List<AccessLogTarget> accessLogs,
                         boolean stubStatus) {
        this(readTimeout, maxBodySize, gzip, response, limits, nextUpstream, accessLogs, stubStatus, FileSettings.UNSET,
                NextUpstreamLimits.UNSET);
    }

    /** These settings, each replaced by {@code inner}'s where {@code inner} sets it. */
    ProxySettings under(ProxySettings inner) {
        if (inner == NONE) {
            // stub_status is a content handler, and try_files a location's own: nginx inherits neither
            return stubStatus || files.tryFiles() != null ? new ProxySettings(readTimeout, maxBodySize, gzip, response,
                    limits, nextUpstream, accessLogs, false, files.under(FileSettings.UNSET), nextLimits) : this;
        }
        return new ProxySettings(inner.readTimeout != null ? inner.readTimeout : readTimeout,
                inner.maxBodySize >= 0 ? inner.maxBodySize : maxBodySize, gzip.under(inner.gzip),
                response.under(inner.response), limits.under(inner.limits),
                inner.nextUpstream != null ? inner.nextUpstream : nextUpstream,
                inner.accessLogs != null ? inner.accessLogs : accessLogs, inner.stubStatus, files.under(inner.files),
                nextLimits.under(inner.nextLimits));
    }

    /** The retries that apply: the nearest level's {@code proxy_next_upstream}, else nginx's default. */
    public NextUpstream retries() {
        NextUpstream conditions = nextUpstream != null ? nextUpstream : NextUpstream.DEFAULT;
        return nextLimits.equals(NextUpstreamLimits.UNSET) ? conditions
                : conditions.limitedTo(nextLimits.tries() != null ? nextLimits.tries() : 0,
                        nextLimits.timeout() != null ? nextLimits.timeout() : Duration.ZERO);
    }

    /** Whether a request body of {@code length} bytes is over the limit (nginx: 413). */
    boolean tooLarge(long length) {
        return maxBodySize > 0 && length > maxBodySize;
    }
}
