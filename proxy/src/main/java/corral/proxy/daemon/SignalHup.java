package corral.proxy.daemon;

/**
 * SIGHUP means reload-conf, as it means a configuration reload to nginx. The JDK has no public
 * signal API; {@code sun.misc.Signal} (module jdk.unsupported) is the supported way in practice.
 */
final class SignalHup {

    private SignalHup() {
    }

    static void install(Runnable action) {
        sun.misc.Signal.handle(new sun.misc.Signal("HUP"), signal -> new Thread(action, "sighup-reload").start());
    }
}
