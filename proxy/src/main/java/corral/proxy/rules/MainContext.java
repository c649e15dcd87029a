package corral.proxy.rules;

import java.util.Set;

/**
 * The main-context directives of an nginx.conf read as vhost rules ({@code user},
 * {@code worker_processes}, {@code events { }}, ...): they configure nginx's processes, which
 * Corral replaces, and change no answer. Accepted at the top level with a notice each.
 */
final class MainContext {

    private static final Set<String> DIRECTIVES = Set.of("user", "worker_processes", "pid",
            "worker_rlimit_nofile", "worker_cpu_affinity", "worker_priority",
            "worker_shutdown_timeout", "daemon", "master_process", "pcre_jit", "env",
            "load_module", "thread_pool", "timer_resolution", "working_directory", "lock_file",
            "events");

    private MainContext() {
    }

    /** Records the notice and returns true when {@code d} is one of them. */
    static boolean notice(Directive d, Problems problems) {
        if (!DIRECTIVES.contains(d.name())) {
            return false;
        }
        boolean isBlock = d.name().equals("events");
        if (isBlock ? problems.expectBlock(d) : problems.expectNoBlock(d)) {
            problems.notice(d, "\"" + d.name() + "\" is accepted, not applied: it configures"
                    + " nginx's processes, which Corral replaces (its own settings are in"
                    + " conf/corral.properties)");
        }
        return true;
    }
}
