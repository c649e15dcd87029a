package corral.proxy.rules;

import corral.proxy.limit.ConnZone;
import corral.proxy.limit.RateZone;

/**
 * A zone name as the configuration uses it: {@code limit_req} and {@code limit_conn} may name
 * a zone before (or without) its {@code limit_*_zone}, as nginx allows, so they hold this slot,
 * which the zone directive fills. Filled only while loading; read-only once the rules are
 * published.
 */
final class ZoneSlot {

    /** Which module the zone belongs to: nginx refuses one name for both. */
    enum Kind { REQ, CONN }

    final String name;
    final Kind kind;
    /** The first directive that named it. */
    final Directive firstUse;
    private Directive definedBy;
    private long size;
    private Template key;
    private RateZone rateZone;
    private ConnZone connZone;

    ZoneSlot(String name, Kind kind, Directive firstUse) {
        this.name = name;
        this.kind = kind;
        this.firstUse = firstUse;
    }

    void define(Directive d, long size, Template key, RateZone rate, ConnZone conn) {
        this.definedBy = d;
        this.size = size;
        this.key = key;
        this.rateZone = rate;
        this.connZone = conn;
    }

    Directive definedBy() {
        return definedBy;
    }

    /** The zone's size in bytes as written; with the name and the module, what a reload compares. */
    long size() {
        return size;
    }

    Template key() {
        return key;
    }

    RateZone rateZone() {
        return rateZone;
    }

    ConnZone connZone() {
        return connZone;
    }
}
