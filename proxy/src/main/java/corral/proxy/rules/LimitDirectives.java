package corral.proxy.rules;

import corral.proxy.limit.ConnZone;
import corral.proxy.limit.LimitPolicy;
import corral.proxy.limit.RateZone;
import corral.proxy.rules.LimitSettings.ConnRule;
import corral.proxy.rules.LimitSettings.ReqRule;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * nginx's limit_req and limit_conn modules' directives: the zones ({@code limit_req_zone},
 * {@code limit_conn_zone}, top level only) and, at http, server and location level,
 * {@code limit_req}, {@code limit_conn} and their {@code _status}, {@code _log_level} and
 * {@code _dry_run}, with nginx 1.22's checks and messages.
 */
final class LimitDirectives {

    /** nginx's {@code NGX_MAX_INT_T_VALUE / 1000}: {@code nodelay}, in milli-requests once scaled. */
    private static final long NODELAY = corral.proxy.limit.RateLimit.NO_DELAY;

    private final Problems problems;
    private final ScriptCompiler scripts;
    private final LongSupplier nowMillis;
    private final Map<String, ZoneSlot> zones = new HashMap<>();
    /** The running configuration's zones, which a zone of the same name, module and size keeps. */
    private final LimitZones running;

    LimitDirectives(Problems problems, ScriptCompiler scripts, LongSupplier nowMillis, LimitZones running) {
        this.problems = problems;
        this.scripts = scripts;
        this.nowMillis = nowMillis;
        this.running = running;
    }

    /** The zones defined, for the next reload to keep. */
    LimitZones zones() {
        Map<String, ZoneSlot> defined = new HashMap<>();
        zones.forEach((name, slot) -> {
            if (slot.definedBy() != null) {
                defined.put(name, slot);
            }
        });
        return new LimitZones(defined);
    }

    static boolean isZone(String name) {
        return name.equals("limit_req_zone") || name.equals("limit_conn_zone");
    }

    /** {@code limit_req_zone KEY zone=NAME:SIZE rate=Nr/s} and {@code limit_conn_zone KEY zone=NAME:SIZE}. */
    void zone(Directive d) {
        boolean req = d.name().equals("limit_req_zone");
        if (!problems.expectNoBlock(d)) {
            return;
        }
        if (req && d.args().contains("sync")) {
            problems.add(d, "\"sync\" is NGINX Plus's zone synchronisation across a cluster: not"
                    + " supported (Corral's zone is shared by all its threads, not with other"
                    + " hosts; remove \"sync\" to limit per host)");
            return;
        }
        if (!problems.expectArgs(d, req ? 3 : 2, req ? 3 : 2)) {
            return;
        }
        String name = null;
        long size = 0;
        long rate = req ? -1 : 0;
        for (String arg : d.args().subList(1, d.args().size())) {
            if (arg.startsWith("zone=")) {
                int colon = arg.indexOf(':');
                size = colon < 0 ? -1 : NginxUnits.size(arg.substring(colon + 1));
                if (size < 0) {
                    problems.add(d, "invalid zone size \"" + arg + "\"");
                    return;
                }
                name = arg.substring(5, colon);
                if (size < 8 * 4096) {
                    problems.add(d, "zone \"" + name + "\" is too small (at least 32k)");
                    return;
                }
            } else if (req && arg.startsWith("rate=")) {
                rate = rate(arg);
                if (rate <= 0) {
                    problems.add(d, "invalid rate \"" + arg + "\" (expected rate=Nr/s or rate=Nr/m)");
                    return;
                }
            } else {
                problems.add(d, "invalid parameter \"" + arg + "\"");
                return;
            }
        }
        if (name == null || name.isEmpty()) {
            problems.add(d, "\"" + d.name() + "\" must have \"zone\" parameter");
            return;
        }
        ZoneSlot slot = slot(d, name, req ? ZoneSlot.Kind.REQ : ZoneSlot.Kind.CONN);
        if (slot == null) {
            return;
        }
        if (slot.definedBy() != null) {
            problems.add(d, d.name() + " \"" + name + "\" is already bound to key \""
                    + slot.key() + "\" (at " + slot.definedBy().file() + ":"
                    + slot.definedBy().line() + ")");
            return;
        }
        Template key = scripts.value(d, d.arg(0));
        if (key == null) {
            return;
        }
        ZoneSlot kept = running.get(name);
        if (kept == null || kept.kind != slot.kind || kept.size() != size) {
            slot.define(d, size, key, req ? new RateZone(name, size, rate, nowMillis) : null,
                    req ? null : new ConnZone(name, size));
        } else if (!kept.key().source().equals(key.source())) {
            problems.add(d, (req ? "limit_req" : "limit_conn_zone") + " \"" + name + "\" uses the \""
                    + key.source() + "\" key while previously it used the \"" + kept.key().source()
                    + "\" key (nginx keeps a zone across a reload with its key: give the zone another name"
                    + " or size to start it afresh)");
            slot.define(d, size, key, kept.rateZone(), kept.connZone()); // one problem, not a second "unknown zone"
        } else {
            // nginx reuses the shared memory: the states carry on, at the new rate
            slot.define(d, size, key, req ? kept.rateZone().keptWith(rate) : null, req ? null : kept.connZone());
        }
    }

    /** nginx: {@code rate=Nr/s} is N*1000 milli-requests a second, {@code Nr/m} N*1000/60. */
    private static long rate(String arg) {
        String v = arg.substring(5);
        int scale = v.endsWith("r/s") ? 1 : v.endsWith("r/m") ? 60 : 0;
        String digits = scale == 0 ? v : v.substring(0, v.length() - 3);
        if (scale == 0 || !digits.matches("[0-9]{1,15}")) {
            return -1;
        }
        return Long.parseLong(digits) * 1000 / scale;
    }

    /**
     * Compiles {@code d} into the level's settings when it is one of the level directives; null
     * when it is none of them (zones included: those belong to the top level).
     */
    LimitSettings compile(Directive d, LimitSettings level) {
        if (!d.name().startsWith("limit_req") && !d.name().startsWith("limit_conn") || isZone(d.name())) {
            return null;
        }
        if (!problems.expectNoBlock(d)) {
            return level;
        }
        return switch (d.name()) {
            case "limit_req" -> limitReq(d, level);
            case "limit_conn" -> limitConn(d, level);
            case "limit_req_status", "limit_conn_status" -> status(d, level);
            case "limit_req_log_level", "limit_conn_log_level" -> logLevel(d, level);
            case "limit_req_dry_run", "limit_conn_dry_run" -> dryRun(d, level);
            default -> null;
        };
    }

    private LimitSettings limitReq(Directive d, LimitSettings level) {
        if (!problems.expectArgs(d, 1, 3)) {
            return level;
        }
        String name = null;
        long burst = 0;
        long delay = 0;
        for (String arg : d.args()) {
            if (arg.startsWith("zone=")) {
                name = arg.substring(5);
            } else if (arg.startsWith("burst=")) {
                burst = positive(arg.substring(6));
                if (burst <= 0) {
                    problems.add(d, "invalid burst value \"" + arg + "\"");
                    return level;
                }
            } else if (arg.startsWith("delay=")) {
                delay = positive(arg.substring(6));
                if (delay <= 0) {
                    problems.add(d, "invalid delay value \"" + arg + "\"");
                    return level;
                }
            } else if (arg.equals("nodelay")) {
                delay = -1;
            } else {
                problems.add(d, "invalid parameter \"" + arg + "\"");
                return level;
            }
        }
        if (name == null || name.isEmpty()) {
            problems.add(d, "\"limit_req\" must have \"zone\" parameter");
            return level;
        }
        ZoneSlot slot = slot(d, name, ZoneSlot.Kind.REQ);
        if (slot == null) {
            return level;
        }
        List<ReqRule> reqs = new ArrayList<>(level.reqs() == null ? List.of() : level.reqs());
        if (reqs.stream().anyMatch(r -> r.zone() == slot)) {
            problems.add(d, "\"" + d.args().get(0) + "\" is duplicate (one limit_req per zone"
                    + " at a level)");
            return level;
        }
        reqs.add(new ReqRule(slot, burst * 1000, delay < 0 ? NODELAY : delay * 1000));
        return with(level, List.copyOf(reqs), null);
    }

    private LimitSettings limitConn(Directive d, LimitSettings level) {
        if (!problems.expectArgs(d, 2, 2)) {
            return level;
        }
        long n = positive(d.arg(1));
        if (n <= 0) {
            problems.add(d, "invalid number of connections \"" + d.arg(1) + "\"");
            return level;
        }
        if (n > 65535) {
            problems.add(d, "connection limit must be less 65536");
            return level;
        }
        ZoneSlot slot = slot(d, d.arg(0), ZoneSlot.Kind.CONN);
        if (slot == null) {
            return level;
        }
        List<ConnRule> conns = new ArrayList<>(level.conns() == null ? List.of() : level.conns());
        if (conns.stream().anyMatch(c -> c.zone() == slot)) {
            problems.add(d, "\"" + d.arg(0) + "\" is duplicate (one limit_conn per zone at a level)");
            return level;
        }
        conns.add(new ConnRule(slot, (int) n));
        return with(level, null, List.copyOf(conns));
    }

    private static LimitSettings with(LimitSettings l, List<ReqRule> reqs, List<ConnRule> conns) {
        return new LimitSettings(reqs != null ? reqs : l.reqs(), l.reqStatus(), l.reqLog(),
                l.reqDryRun(), conns != null ? conns : l.conns(), l.connStatus(), l.connLog(),
                l.connDryRun());
    }

    private LimitSettings status(Directive d, LimitSettings l) {
        if (!problems.expectArgs(d, 1, 1)) {
            return l;
        }
        long status = positive(d.arg(0));
        if (status < 0) {
            problems.add(d, "invalid number \"" + d.arg(0) + "\"");
            return l;
        }
        if (status < 400 || status > 599) {
            problems.add(d, "value must be between 400 and 599");
            return l;
        }
        Integer s = (int) status;
        boolean req = d.name().startsWith("limit_req");
        if ((req ? l.reqStatus() : l.connStatus()) != null) {
            problems.add(d, "\"" + d.name() + "\" directive is duplicate");
            return l;
        }
        return new LimitSettings(l.reqs(), req ? s : l.reqStatus(), l.reqLog(), l.reqDryRun(),
                l.conns(), req ? l.connStatus() : s, l.connLog(), l.connDryRun());
    }

    private LimitSettings logLevel(Directive d, LimitSettings l) {
        if (!problems.expectArgs(d, 1, 1)) {
            return l;
        }
        LimitPolicy.Level level = switch (d.arg(0)) {
            case "info", "notice", "warn", "error" ->
                    LimitPolicy.Level.valueOf(d.arg(0).toUpperCase(Locale.ROOT));
            default -> null;
        };
        if (level == null) {
            problems.add(d, "invalid value \"" + d.arg(0) + "\" (expected info, notice, warn or error)");
            return l;
        }
        boolean req = d.name().startsWith("limit_req");
        return new LimitSettings(l.reqs(), l.reqStatus(), req ? level : l.reqLog(), l.reqDryRun(),
                l.conns(), l.connStatus(), req ? l.connLog() : level, l.connDryRun());
    }

    private LimitSettings dryRun(Directive d, LimitSettings l) {
        if (!problems.expectArgs(d, 1, 1)) {
            return l;
        }
        if (!d.arg(0).equals("on") && !d.arg(0).equals("off")) {
            problems.add(d, "invalid value \"" + d.arg(0) + "\" in \"" + d.name()
                    + "\" directive, it must be \"on\" or \"off\"");
            return l;
        }
        Boolean on = d.arg(0).equals("on");
        boolean req = d.name().startsWith("limit_req");
        return new LimitSettings(l.reqs(), l.reqStatus(), l.reqLog(), req ? on : l.reqDryRun(),
                l.conns(), l.connStatus(), l.connLog(), req ? l.connDryRun() : on);
    }

    /** nginx's ngx_atoi: a run of digits, else -1. */
    private static long positive(String digits) {
        return digits.matches("[0-9]{1,15}") ? Long.parseLong(digits) : -1;
    }

    /** The slot of {@code name}; null (and a problem) when the name belongs to the other module. */
    private ZoneSlot slot(Directive d, String name, ZoneSlot.Kind kind) {
        ZoneSlot slot = zones.computeIfAbsent(name, n -> new ZoneSlot(n, kind, d));
        if (slot.kind != kind) {
            problems.add(d, "the shared memory zone \"" + name + "\" is already declared for a"
                    + " different use (" + (kind == ZoneSlot.Kind.REQ ? "limit_conn" : "limit_req")
                    + " at " + slot.firstUse.file() + ":" + slot.firstUse.line() + ")");
            return null;
        }
        return slot;
    }

    /** Records every zone that a limit names and no zone directive defines. */
    void checkZones() {
        for (ZoneSlot slot : zones.values()) {
            if (slot.definedBy() == null) {
                String zoneDirective = slot.kind == ZoneSlot.Kind.REQ ? "limit_req_zone" : "limit_conn_zone";
                problems.add(slot.firstUse, "unknown " + slot.firstUse.name() + " zone \"" + slot.name
                        + "\": no " + zoneDirective + " defines it (nginx: zero size shared memory"
                        + " zone)");
            }
        }
    }
}
