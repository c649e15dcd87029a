package corral.proxy.rules;

import corral.proxy.accesslog.AccessLogTarget;
import corral.proxy.forward.NextUpstream;
import corral.proxy.gzip.GzipSettings;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The directives of nginx's proxy and core modules that a vhost in front of Node carries at
 * http, server and location level, besides {@code proxy_pass} and {@code proxy_set_header}.
 * Each is either applied with nginx's meaning ({@code proxy_read_timeout},
 * {@code client_max_body_size}), accepted because Corral already behaves so (a notice says
 * which setting covers it), or refused with the reason and what to write instead. None is
 * ignored in silence.
 */
final class ProxyDirectives {

    /** A level's own settings while it is compiled; {@link #build} gives the record. */
    static final class Draft {
        private Duration readTimeout;
        private long maxBodySize = -1;
        private GzipSettings gzip = GzipSettings.UNSET;
        final ResponseDirectives.Draft response = new ResponseDirectives.Draft();
        /** error_page and its flags: kept apart from the settings, built by the compiler. */
        final ErrorPageDirectives.Draft errorPages = new ErrorPageDirectives.Draft();
        private LimitSettings limits = LimitSettings.UNSET;
        private NextUpstream nextUpstream;
        private ProxySettings.NextUpstreamLimits nextLimits = ProxySettings.NextUpstreamLimits.UNSET;
        /** This level's access_log paths; null when it has no access_log. */
        List<AccessLogTarget> accessLogs;
        boolean accessLogsOff;
        boolean stubStatus;
        final FileDirectives.Draft files = new FileDirectives.Draft();

        ProxySettings build() {
            ResponseRules rules = response.build();
            List<AccessLogTarget> logs = accessLogsOff ? List.of() : accessLogs;
            FileSettings fileSettings = files.build();
            return readTimeout == null && maxBodySize < 0 && gzip.equals(GzipSettings.UNSET)
                    && rules.equals(ResponseRules.UNSET) && limits.equals(LimitSettings.UNSET) && nextUpstream == null
                    && nextLimits.equals(ProxySettings.NextUpstreamLimits.UNSET) && logs == null && !stubStatus && fileSettings == FileSettings.UNSET
                    ? ProxySettings.NONE
                    : new ProxySettings(readTimeout, maxBodySize, gzip, rules, limits, nextUpstream, logs, stubStatus,
                            fileSettings, nextLimits);
        }
    }

    /** Accepted as written, with the setting of Corral's that covers them instead. */
    private static final Map<String, String> COVERED = new HashMap<>();

    static {
        covered("connects go to instances on this host, which accept or refuse at once; a"
                + " refused connect is tried on another instance", "proxy_connect_timeout");
        covered("Corral gives up on an instance that stays silent for the read timeout"
                + " (proxy_read_timeout, else pm2.json's), also while it is sent the request",
                "proxy_send_timeout");
        covered("Corral streams answers; buffers change no answer", "proxy_buffer_size",
                "proxy_buffers", "proxy_busy_buffers_size");
        covered("Corral streams answers and writes no temp file", "proxy_max_temp_file_size",
                "proxy_temp_path");
        covered("Corral streams request bodies to the instance", "proxy_request_buffering",
                "client_body_buffer_size");
        covered("there is no proxy_cache, so it has no effect (nginx too without one)",
                "proxy_cache_bypass", "proxy_no_cache");
        covered("a slow body keeps the instance waiting, and Corral gives up after the read"
                + " timeout (proxy_read_timeout, else pm2.json's)", "client_body_timeout");
        covered("conf/corral.properties client.header.timeout.ms applies to every listener",
                "client_header_timeout");
        covered("conf/corral.properties client.idle.timeout.ms applies to every listener",
                "keepalive_timeout");
        covered("Corral keeps a client connection for any number of requests until"
                + " client.idle.timeout.ms", "keepalive_requests");
        covered("conf/corral.properties client.max.header.bytes applies to every listener",
                "large_client_header_buffers", "client_header_buffer_size");
        covered("Corral never names a version, in a header or an error page", "server_tokens");
        covered("Corral's listeners always set TCP_NODELAY", "tcp_nodelay");
        covered("Corral sends files with its own writes (sendfile changes no answer)", "sendfile", "tcp_nopush");
        covered("Corral writes its own log, log/corral.log", "error_log");
        covered("Corral's server names and types have no hash tables",
                "server_names_hash_bucket_size", "server_names_hash_max_size",
                "types_hash_max_size", "types_hash_bucket_size");
    }

    private static void covered(String reason, String... directives) {
        for (String directive : directives) {
            COVERED.put(directive, reason);
        }
    }

    /** Directives whose only values Corral supports are the ones it always behaves as. */
    private static final Map<String, Set<String>> ONLY = Map.of(
            "proxy_buffering", Set.of("on", "off"),
            "proxy_http_version", Set.of("1.0", "1.1"));

    private final Problems problems;
    private final GzipDirectives gzip;
    private final ResponseDirectives response;
    private final LimitDirectives limits;
    private final LogDirectives logs;
    private final ErrorPageDirectives errorPages;
    private final FileDirectives files;

    ProxyDirectives(Problems problems, ScriptCompiler scripts, LimitDirectives limits, LogDirectives logs,
                    FileDirectives files) {
        this.files = files;
        this.problems = problems;
        this.gzip = new GzipDirectives(problems);
        this.response = new ResponseDirectives(problems, scripts);
        this.limits = limits;
        this.logs = logs;
        this.errorPages = new ErrorPageDirectives(problems, scripts);
    }

    /**
     * Compiles {@code d} into {@code draft} when it is one of these directives (at http, server
     * or location level, as nginx allows them); false when it is none of them.
     */
    boolean compile(Directive d, Draft draft) {
        GzipSettings g = gzip.compile(d, draft.gzip);
        if (g != null) {
            draft.gzip = g;
            return true;
        }
        if (response.compile(d, draft.response) || errorPages.compile(d, draft.errorPages)
                || files.compile(d, draft.files)) {
            return true;
        }
        LimitSettings l = limits.compile(d, draft.limits);
        if (l != null) {
            draft.limits = l;
            return true;
        }
        String covered = COVERED.get(d.name());
        if (covered != null) {
            if (problems.expectNoBlock(d) && problems.expectArgs(d, 1, Integer.MAX_VALUE)) {
                problems.notice(d, "\"" + d.name() + "\" is accepted, not applied: " + covered);
            }
            return true;
        }
        switch (d.name()) {
            case "access_log" -> logs.accessLog(d, draft);
            case "proxy_read_timeout" -> readTimeout(d, draft);
            case "client_max_body_size" -> maxBodySize(d, draft);
            case "proxy_next_upstream" -> nextUpstream(d, draft);
            case "proxy_next_upstream_tries" -> nextTries(d, draft);
            case "proxy_next_upstream_timeout" -> nextTimeout(d, draft);
            case "proxy_buffering", "proxy_http_version" -> onlyValues(d);
            default -> {
                return false;
            }
        }
        return true;
    }

    private void readTimeout(Directive d, Draft draft) {
        if (!problems.expectNoBlock(d) || !problems.expectArgs(d, 1, 1)) {
            return;
        }
        Duration t = NginxUnits.time(d.arg(0));
        if (t == null || t.toMillis() < 1) {
            problems.add(d, "invalid value \"" + d.arg(0) + "\" (a time: 60s, 500ms, 2m)");
        } else {
            draft.readTimeout = t;
        }
    }

    private void maxBodySize(Directive d, Draft draft) {
        if (!problems.expectNoBlock(d) || !problems.expectArgs(d, 1, 1)) {
            return;
        }
        long size = NginxUnits.size(d.arg(0));
        if (size < 0) {
            problems.add(d, "invalid value \"" + d.arg(0) + "\" (a size: 10m, 512k, 0 for none)");
        } else {
            draft.maxBodySize = size;
        }
    }

    /** nginx's conditions for trying another instance (see {@link NextUpstream}). */
    private void nextUpstream(Directive d, Draft draft) {
        if (!problems.expectNoBlock(d) || !problems.expectArgs(d, 1, 12)) {
            return;
        }
        try {
            draft.nextUpstream = NextUpstream.parse(d.args());
        } catch (IllegalArgumentException e) {
            problems.add(d, e.getMessage());
        }
    }

    /** At most this many attempts in all (0: no limit), as nginx's {@code peer.tries}. */
    private void nextTries(Directive d, Draft draft) {
        if (!problems.expectNoBlock(d) || !problems.expectArgs(d, 1, 1)) {
            return;
        }
        if (!d.arg(0).matches("[0-9]{1,9}")) {
            problems.add(d, "invalid value \"" + d.arg(0) + "\" (a number of attempts, 0 for no limit)");
            return;
        }
        draft.nextLimits = new ProxySettings.NextUpstreamLimits(Integer.parseInt(d.arg(0)), draft.nextLimits.timeout());
    }

    /** No new attempt once this long has passed since the first began (0: no limit). */
    private void nextTimeout(Directive d, Draft draft) {
        if (!problems.expectNoBlock(d) || !problems.expectArgs(d, 1, 1)) {
            return;
        }
        Duration t = NginxUnits.time(d.arg(0));
        if (t == null) {
            problems.add(d, "invalid value \"" + d.arg(0) + "\" (a time: 10s, 500ms; 0 for no limit)");
            return;
        }
        draft.nextLimits = new ProxySettings.NextUpstreamLimits(draft.nextLimits.tries(), t);
    }

    private void onlyValues(Directive d) {
        if (!problems.expectNoBlock(d) || !problems.expectArgs(d, 1, 2)) {
            return;
        }
        String value = String.join(" ", d.args());
        if (!ONLY.get(d.name()).contains(value)) {
            problems.add(d, "invalid value \"" + value + "\" (expected one of " + ONLY.get(d.name())
                    + ")");
            return;
        }
        String notice = switch (d.name() + " " + value) {
            case "proxy_buffering on" -> "Corral streams the answer as it comes (as \"off\"); the"
                    + " answer is the same";
            case "proxy_http_version 1.0" -> "Corral speaks HTTP/1.1 with keep-alive to its"
                    + " instances (as with \"proxy_http_version 1.1\" and"
                    + " \"proxy_set_header Connection \\\"\\\"\")";
            default -> null;
        };
        if (notice != null) {
            problems.notice(d, "\"" + d.name() + " " + value + "\" is accepted, not applied: "
                    + notice);
        }
    }
}
