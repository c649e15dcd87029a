package corral.workers.readiness;

import corral.workers.process.Worker;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;

/** Ready once the port accepts a TCP connection: what Node's cluster "listening" event means. */
public final class TcpConnectCheck implements ReadinessCheck {

    @Override
    public boolean isReady(Worker worker) {
        int port = worker.port();
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
