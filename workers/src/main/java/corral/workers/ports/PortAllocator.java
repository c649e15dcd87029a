package corral.workers.ports;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;

/**
 * Hands out free loopback ports for instances. A port stays taken from {@link #acquire} until
 * {@link #release} (called once the instance's process has exited), so a new instance never gets
 * the port of one that is still draining or dying.
 */
public final class PortAllocator {

    private final Set<Integer> taken = new HashSet<>();

    /** A port that is free now and not held by any instance of this daemon. */
    public synchronized int acquire() {
        for (int attempt = 0; attempt < 100; attempt++) {
            int port = probeFreePort();
            if (taken.add(port)) {
                return port;
            }
        }
        throw new IllegalStateException("no free loopback port after 100 attempts");
    }

    public synchronized void release(int port) {
        taken.remove(port);
    }

    private static int probeFreePort() {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(false);
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot find a free loopback port", e);
        }
    }
}
