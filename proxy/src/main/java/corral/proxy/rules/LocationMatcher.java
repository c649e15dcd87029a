package corral.proxy.rules;

import corral.proxy.rules.LocationBlock.Kind;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Picks a server's location for a URI in nginx's order: an {@code =} location equal to the URI
 * wins at once; else the longest matching prefix is remembered and, unless it is {@code ^~},
 * the regex locations are tried in file order (first match wins); else the prefix is used.
 *
 * <p>One more rule comes from nginx's location tree: when the URI plus "/" names a prefix or
 * exact location that proxies, and no location is named exactly the URI, the answer is a 301 to
 * that name, before any regex is tried. nginx finds that case while walking its tree of static
 * locations; because its tree orders "/" before every other byte, the walk always reaches the
 * "URI/" node when it exists, which is why a map lookup here gives the same answers.
 */
final class LocationMatcher {

    /**
     * The outcome of a search.
     *
     * @param location     the location to use; null when none matched
     * @param autoRedirect true when nginx answers a 301 to {@code location}'s name instead
     */
    record Match(LocationBlock location, boolean autoRedirect) {
    }

    private final List<LocationBlock> locations;
    private final Map<String, LocationBlock> exact = new HashMap<>();
    private final Map<String, LocationBlock> prefixes = new HashMap<>();
    /** Auto-redirecting locations (each name ends with "/") by their name without that "/". */
    private final Map<String, LocationBlock> autoRedirects = new HashMap<>();
    /** The prefix locations, for the longest-prefix scan (no map iterator per request). */
    private final LocationBlock[] prefixList;
    private final List<LocationBlock> regexes = new ArrayList<>();
    private final Map<String, LocationBlock> named = new HashMap<>();

    /** Locations in file order; names are unique per kind (checked by the compiler). */
    LocationMatcher(List<LocationBlock> locations) {
        this.locations = List.copyOf(locations);
        for (LocationBlock l : locations) {
            switch (l.kind()) {
                case EXACT -> exact.put(l.name(), l);
                case PREFIX, PREFIX_NO_REGEX -> prefixes.put(l.name(), l);
                case REGEX -> regexes.add(l);
                case NAMED -> named.put(l.name(), l);
            }
            if (l.autoRedirect()) {
                autoRedirects.putIfAbsent(l.name().substring(0, l.name().length() - 1), l);
            }
        }
        prefixList = prefixes.values().toArray(LocationBlock[]::new);
    }

    List<LocationBlock> locations() {
        return locations;
    }

    /** The named location {@code @name} (with its "@", compared exactly, as nginx does), or null. */
    LocationBlock named(String name) {
        return named.get(name);
    }

    /** Searches for the location of {@code ctx.uri}; a regex match records its captures. */
    Match find(RequestContext ctx) {
        String uri = ctx.uri;
        LocationBlock same = exact.get(uri);
        if (same != null) {
            return new Match(same, false);
        }
        if (!prefixes.containsKey(uri)) {
            LocationBlock withSlash = autoRedirects.get(uri); // the location "uri/"; no concatenation per request
            if (withSlash != null) {
                return new Match(withSlash, true);
            }
        }
        LocationBlock prefix = longestPrefix(uri);
        if (prefix == null || prefix.kind() != Kind.PREFIX_NO_REGEX) {
            for (int i = 0; i < regexes.size(); i++) {
                LocationBlock r = regexes.get(i);
                String[] groups = r.regex().exec(uri);
                if (groups != null) {
                    ctx.matched(r.regex(), groups);
                    return new Match(r, false);
                }
            }
        }
        return new Match(prefix, false);
    }

    private LocationBlock longestPrefix(String uri) {
        LocationBlock best = null;
        for (LocationBlock l : prefixList) {
            if (uri.startsWith(l.name()) && (best == null || l.name().length() > best.name().length())) {
                best = l;
            }
        }
        return best;
    }
}
