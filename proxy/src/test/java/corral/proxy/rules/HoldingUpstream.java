package corral.proxy.rules;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A test upstream that answers 200 "ok" to every request, a thread per connection; a request
 * whose path contains "/hold" waits until {@link #release} (at most a minute), so that requests
 * stay in progress for limit_conn. Counts what it received and what it holds.
 */
final class HoldingUpstream implements AutoCloseable {

    private final ServerSocket socket;
    private final AtomicInteger received = new AtomicInteger();
    private final AtomicInteger holding = new AtomicInteger();
    private volatile CountDownLatch gate = new CountDownLatch(1);

    HoldingUpstream() throws IOException {
        this.socket = new ServerSocket(0, 100, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::serve, "holding-upstream");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    int port() {
        return socket.getLocalPort();
    }

    int received() {
        return received.get();
    }

    int holding() {
        return holding.get();
    }

    /** Lets the held requests answer; the next ones to hold wait again. */
    void release() {
        CountDownLatch old = gate;
        gate = new CountDownLatch(1);
        old.countDown();
    }

    private void serve() {
        while (!socket.isClosed()) {
            try {
                Socket s = socket.accept();
                Thread t = new Thread(() -> answer(s), "holding-upstream-conn");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                // closed: the loop ends
            }
        }
    }

    private void answer(Socket s) {
        try (s) {
            s.setSoTimeout(60_000);
            String head = readHead(s.getInputStream());
            if (head == null) {
                return;
            }
            received.incrementAndGet();
            if (head.split(" ", 3)[1].contains("/hold")) {
                CountDownLatch waitFor = gate;
                holding.incrementAndGet();
                try {
                    waitFor.await(60, TimeUnit.SECONDS);
                } finally {
                    holding.decrementAndGet();
                }
            }
            OutputStream out = s.getOutputStream();
            out.write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok"
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
        } catch (IOException e) {
            // the proxy went away: nothing to answer
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String readHead(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                return null;
            }
            head.append((char) b);
        }
        return head.toString();
    }

    @Override
    public void close() throws IOException {
        socket.close();
        gate.countDown();
    }
}
