package corral.proxy.rules;

import corral.proxy.accesslog.AccessLogTarget;
import corral.proxy.accesslog.LogEscape;
import corral.proxy.accesslog.LogFormat;
import corral.proxy.accesslog.ResponseVariables;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * nginx's log module: {@code log_format} (top level), {@code access_log} (top, server and
 * location level, into a level's {@link ProxyDirectives.Draft}) and the status module's
 * {@code stub_status} (server: what no location matches, and location). A relative path is read from the vhost file's directory. As in nginx, a format must be defined before an
 * {@code access_log} names it, and every variable it uses must exist (a map, {@code set}
 * variable or named capture anywhere in the files: nginx resolves them once all is read).
 */
final class LogDirectives {

    private final Problems problems;
    private final ScriptCompiler scripts;
    private final Map<String, LogFormat> formats = new HashMap<>(Map.of("combined", LogFormat.COMBINED));
    /** The maps, {@code set} variables and named captures the logs read, by name. */
    private final Map<String, Variables.Variable> ownVariables = new HashMap<>();

    LogDirectives(Problems problems, ScriptCompiler scripts) {
        this.problems = problems;
        this.scripts = scripts;
    }

    /** The variables of the rules' own (maps, {@code set}, named captures) that a log reads. */
    Map<String, Variables.Variable> ownVariables() {
        return Map.copyOf(ownVariables);
    }

    /** {@code log_format NAME [escape=default|json|none] STRING...}. */
    void logFormat(Directive d) {
        if (!problems.expectNoBlock(d) || !problems.expectArgs(d, 2, Integer.MAX_VALUE)) {
            return;
        }
        String name = d.arg(0);
        if (formats.containsKey(name)) {
            problems.add(d, "duplicate \"log_format\" name \"" + name + "\"");
            return;
        }
        List<String> text = d.args().subList(1, d.args().size());
        LogEscape escape = LogEscape.DEFAULT;
        if (text.get(0).startsWith("escape=")) {
            escape = LogEscape.named(text.get(0).substring("escape=".length()));
            if (escape == null) {
                problems.add(d, "unknown log format escaping \"" + text.get(0).substring(7)
                        + "\" (expected default, json or none)");
                return;
            }
            text = text.subList(1, text.size());
        }
        LogFormat format = compile(d, name, escape, String.join("", text));
        if (format != null) {
            formats.put(name, format);
        }
    }

    /**
     * {@code access_log off} or {@code access_log PATH [FORMAT [buffer=SIZE] [flush=TIME]
     * [if=CONDITION]]} into {@code draft}; a level's {@code off} wins over its paths, as in nginx.
     */
    void accessLog(Directive d, ProxyDirectives.Draft draft) {
        if (!problems.expectNoBlock(d) || !problems.expectArgs(d, 1, 6)) {
            return;
        }
        if (draft.accessLogs == null) {
            draft.accessLogs = new ArrayList<>();
        }
        if (d.arg(0).equals("off")) {
            if (d.args().size() > 1) {
                problems.add(d, "invalid parameter \"" + d.arg(1) + "\"");
            }
            draft.accessLogsOff = true;
            return;
        }
        AccessLogTarget target = target(d);
        if (target != null) {
            draft.accessLogs.add(target);
        }
    }

    /** {@code stub_status} (nginx also reads the old {@code stub_status on;}). */
    void stubStatus(Directive d, ProxyDirectives.Draft draft) {
        if (problems.expectNoBlock(d) && problems.expectArgs(d, 0, 1)) {
            draft.stubStatus = true;
        }
    }

    private AccessLogTarget target(Directive d) {
        String file = d.arg(0);
        if (file.startsWith("syslog:") || file.contains("$")) {
            problems.add(d, "access_log \"" + file + "\" is not supported by Corral: write a file"
                    + " path without variables (syslog and per-variable files are not written)");
            return null;
        }
        // relative to the vhost file's directory, as certificates and includes (nginx: its prefix)
        Path path = d.file().toAbsolutePath().getParent().resolve(file).normalize();
        LogFormat format = LogFormat.COMBINED;
        int next = 1;
        if (d.args().size() > 1 && !d.arg(1).contains("=")) {
            format = formats.get(d.arg(1));
            if (format == null) {
                problems.add(d, "unknown log format \"" + d.arg(1) + "\" (a log_format must come"
                        + " before the access_log that names it)");
                return null;
            }
            next = 2;
        }
        long buffer = 0;
        Duration flush = null;
        LogFormat condition = null;
        for (String param : d.args().subList(next, d.args().size())) {
            if (param.startsWith("buffer=")) {
                buffer = NginxUnits.size(param.substring(7));
                if (buffer <= 0) {
                    problems.add(d, "invalid buffer size \"" + param.substring(7) + "\"");
                    return null;
                }
            } else if (param.startsWith("flush=")) {
                flush = NginxUnits.time(param.substring(6));
                if (flush == null || flush.isZero()) {
                    problems.add(d, "invalid flush time \"" + param.substring(6) + "\"");
                    return null;
                }
            } else if (param.startsWith("if=")) {
                condition = compile(d, "if", LogEscape.NONE, param.substring(3));
                if (condition == null) {
                    return null;
                }
            } else {
                problems.add(d, "invalid parameter \"" + param + "\"" + (param.startsWith("gzip")
                        ? ": Corral does not compress access logs (leave gzip out, logrotate can)" : ""));
                return null;
            }
        }
        if (flush != null && buffer == 0) {
            problems.add(d, "no buffer is defined for access_log \"" + file + "\"");
            return null;
        }
        Duration every = buffer == 0 ? AccessLogTarget.UNBUFFERED_FLUSH
                : flush != null ? flush : Duration.ofSeconds(1);
        return new AccessLogTarget(path, format, buffer, every, condition);
    }

    /** The format, or null when nginx would refuse it (the reason recorded). */
    private LogFormat compile(Directive d, String name, LogEscape escape, String text) {
        LogFormat format;
        try {
            format = LogFormat.parse(name, escape, text);
        } catch (IllegalArgumentException e) {
            problems.add(d, e.getMessage());
            return null;
        }
        for (String variable : format.variables()) {
            if (!ResponseVariables.knows(variable) && !RequestLog.knows(variable)
                    && !ownVariables.containsKey(variable)) {
                // a map, set variable or named capture, which may be written further on
                ownVariables.put(variable, scripts.logVariable(variable, d));
            }
        }
        return format;
    }
}
