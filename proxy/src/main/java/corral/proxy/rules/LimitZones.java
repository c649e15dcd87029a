package corral.proxy.rules;

import java.util.Map;

/**
 * The {@code limit_req_zone} and {@code limit_conn_zone} zones of a loaded configuration, by
 * name: what the next {@code reload-conf} may keep. As nginx 1.22 reuses a shared memory zone
 * across a reload (ngx_init_cycle: same name, same size, same module), the next configuration
 * keeps such a zone's states (and its requests in progress), and refuses it when its key changed
 * (ngx_http_limit_req_init_zone); any other zone starts afresh.
 */
public final class LimitZones {

    /** No running configuration: every zone starts afresh (a start, {@code bin/control check}). */
    public static final LimitZones NONE = new LimitZones(Map.of());

    private final Map<String, ZoneSlot> zones;

    LimitZones(Map<String, ZoneSlot> zones) {
        this.zones = Map.copyOf(zones);
    }

    /** The running zone of that name, or null. */
    ZoneSlot get(String name) {
        return zones.get(name);
    }
}
