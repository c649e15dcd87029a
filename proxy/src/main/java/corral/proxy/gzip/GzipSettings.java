package corral.proxy.gzip;

import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The gzip directives of one level; a null field is not set there and is inherited, each one
 * on its own, as nginx merges them ({@link #under}). The getters give nginx's defaults.
 *
 * @param on          {@code gzip}
 * @param types       {@code gzip_types} (lower-case; "*" for any); text/html is always in
 * @param minLength   {@code gzip_min_length}: a Content-Length below it is sent as it is
 * @param level       {@code gzip_comp_level} 1..9
 * @param vary        {@code gzip_vary}
 * @param proxied     {@code gzip_proxied} values, for requests with a Via header
 * @param disable     {@code gzip_disable}: User-Agent tests (regexes, caseless; "msie6")
 * @param http11      {@code gzip_http_version 1.1} (true) or 1.0
 */
public record GzipSettings(Boolean on, Set<String> types, Long minLength, Integer level,
                           Boolean vary, Set<String> proxied, List<Predicate<String>> disable,
                           Boolean http11) {

    /** {@code gzip_disable msie6}: nginx's own test, not a regex. */
    public static final Predicate<String> MSIE6 = AcceptEncoding::msie6;

    /** Nothing set at this level. */
    public static final GzipSettings UNSET = new GzipSettings(null, null, null, null, null, null,
            null, null);

    /** These settings, each replaced by {@code inner}'s where {@code inner} sets it. */
    public GzipSettings under(GzipSettings inner) {
        if (inner.equals(UNSET)) {
            return this;
        }
        return new GzipSettings(pick(inner.on, on), pick(inner.types, types),
                pick(inner.minLength, minLength), pick(inner.level, level), pick(inner.vary, vary),
                pick(inner.proxied, proxied), pick(inner.disable, disable), pick(inner.http11, http11));
    }

    private static <T> T pick(T inner, T outer) {
        return inner != null ? inner : outer;
    }

    public boolean enabled() {
        return on != null && on;
    }

    boolean typeMatches(String type) {
        Set<String> t = Objects.requireNonNullElse(types, Set.of());
        return type.equals("text/html") || t.contains("*") || t.contains(type);
    }

    long minimum() {
        return minLength == null ? 20 : minLength;
    }

    int compLevel() {
        return level == null ? 1 : level;
    }

    boolean addVary() {
        return vary != null && vary;
    }

    Set<String> proxiedValues() {
        return proxied == null ? Set.of("off") : proxied;
    }

    List<Predicate<String>> disabled() {
        return disable == null ? List.of() : disable;
    }

    boolean needsHttp11() {
        return http11 == null || http11;
    }
}
