package corral.proxy.listen;

import corral.proxy.rules.RouteRequest;
import io.undertow.util.HeaderMap;
import io.undertow.util.HeaderValues;
import java.util.ArrayList;
import java.util.List;

/**
 * An exchange's request headers as the rules read them: copied into records only when a rule
 * asks for them all; the Host count and Content-Length are read from Undertow's map, whose
 * lookups by a {@code String} name ignore case and allocate nothing (issue 12). Nothing in
 * Corral changes a request's own headers (the forwarder edits its copy), so a late read sees
 * what arrived.
 */
final class ExchangeHeaders extends RouteRequest.LazyHeaders {

    private final HeaderMap map;

    ExchangeHeaders(HeaderMap map) {
        this.map = map;
    }

    @Override
    protected List<RouteRequest.Header> load() {
        List<RouteRequest.Header> headers = new ArrayList<>(map.size());
        for (HeaderValues values : map) {
            for (String v : values) {
                headers.add(new RouteRequest.Header(values.getHeaderName().toString(), v));
            }
        }
        return headers;
    }

    @Override
    protected int countIn(String name) {
        return map.count(name);
    }

    @Override
    protected String firstIn(String name) {
        return map.getFirst(name);
    }
}
