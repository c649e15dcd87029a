package corral.workers.readiness;

import corral.workers.process.Worker;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URL;

/** Ready once {@code GET <path>} on the port answers 2xx: the app says it has warmed up. */
public final class HttpPathCheck implements ReadinessCheck {

    private final String path;

    public HttpPathCheck(String path) {
        this.path = path;
    }

    @Override
    public boolean isReady(Worker worker) {
        int port = worker.port();
        HttpURLConnection c = null;
        try {
            c = (HttpURLConnection) new URL("http", "127.0.0.1", port, path).openConnection();
            c.setConnectTimeout(500);
            c.setReadTimeout(1000);
            int status = c.getResponseCode();
            return status >= 200 && status < 300;
        } catch (IOException e) {
            return false;
        } finally {
            if (c != null) {
                c.disconnect();
            }
        }
    }
}
