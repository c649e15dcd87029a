package corral.proxy.rules;

import corral.proxy.accesslog.AccessLogTarget;
import corral.proxy.gzip.GzipSettings;

import java.time.Duration;
import java.util.List;

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
 * @param accessLogs  the {@code access_log}s in effect: empty for {@code off}, null when no level
 *                    has one (Corral's own log/access.log then applies); a level's replace its
 *                    parent's, as in nginx
 * @param stubStatus  the location answers with {@code stub_status}'s page (not inherited)
 */
public record ProxySettings(Duration readTimeout, long maxBodySize, GzipSettings gzip,
                            List<AccessLogTarget> accessLogs, boolean stubStatus) {

    /** Nothing set: Corral's own settings apply. */
    public static final ProxySettings NONE = new ProxySettings(null, -1);

    public ProxySettings {
        accessLogs = accessLogs == null ? null : List.copyOf(accessLogs);
    }

    public ProxySettings(Duration readTimeout, long maxBodySize) {
        this(readTimeout, maxBodySize, GzipSettings.UNSET);
    }

    public ProxySettings(Duration readTimeout, long maxBodySize, GzipSettings gzip) {
        this(readTimeout, maxBodySize, gzip, null, false);
    }

    /** These settings, each replaced by {@code inner}'s where {@code inner} sets it. */
    ProxySettings under(ProxySettings inner) {
        if (inner == NONE) {
            // stub_status is a content handler, which nginx never inherits
            return stubStatus ? new ProxySettings(readTimeout, maxBodySize, gzip, accessLogs, false) : this;
        }
        return new ProxySettings(inner.readTimeout != null ? inner.readTimeout : readTimeout,
                inner.maxBodySize >= 0 ? inner.maxBodySize : maxBodySize, gzip.under(inner.gzip),
                inner.accessLogs != null ? inner.accessLogs : accessLogs, inner.stubStatus);
    }

    /** Whether a request body of {@code length} bytes is over the limit (nginx: 413). */
    boolean tooLarge(long length) {
        return maxBodySize > 0 && length > maxBodySize;
    }
}
