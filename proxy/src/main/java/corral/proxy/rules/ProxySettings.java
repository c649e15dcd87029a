package corral.proxy.rules;

import corral.proxy.rules.NextUpstream;
import corral.proxy.gzip.GzipSettings;

import java.time.Duration;
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
 */
public record ProxySettings(Duration readTimeout, long maxBodySize, GzipSettings gzip,
                            ResponseRules response, LimitSettings limits, NextUpstream nextUpstream) {

    /** Nothing set: Corral's own settings apply. */
    public static final ProxySettings NONE = new ProxySettings(null, -1);

    public ProxySettings {
        Objects.requireNonNull(limits, "limits");
    }

    public ProxySettings(Duration readTimeout, long maxBodySize) {
        this(readTimeout, maxBodySize, GzipSettings.UNSET);
    }

    public ProxySettings(Duration readTimeout, long maxBodySize, GzipSettings gzip) {
        this(readTimeout, maxBodySize, gzip, ResponseRules.UNSET, LimitSettings.UNSET, null);
    }

    /** These settings, each replaced by {@code inner}'s where {@code inner} sets it. */
    ProxySettings under(ProxySettings inner) {
        if (inner == NONE) {
            return this;
        }
        return new ProxySettings(inner.readTimeout != null ? inner.readTimeout : readTimeout,
                inner.maxBodySize >= 0 ? inner.maxBodySize : maxBodySize, gzip.under(inner.gzip),
                response.under(inner.response), limits.under(inner.limits),
                inner.nextUpstream != null ? inner.nextUpstream : nextUpstream);
    }

    /** The retries that apply: the nearest level's {@code proxy_next_upstream}, else nginx's default. */
    public NextUpstream retries() {
        return nextUpstream != null ? nextUpstream : NextUpstream.DEFAULT;
    }

    /** Whether a request body of {@code length} bytes is over the limit (nginx: 413). */
    boolean tooLarge(long length) {
        return maxBodySize > 0 && length > maxBodySize;
    }
}
