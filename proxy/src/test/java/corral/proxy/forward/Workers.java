package corral.proxy.forward;

import corral.fixtures.AppProcess;
import corral.fixtures.CorralHome;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Real {@code node app.js} workers for one test, each on its own port; closing kills them all. */
final class Workers implements AutoCloseable {
    private final List<AppProcess> apps = new ArrayList<>();

    /** Starts {@code n} workers with {@code extraEnv} and waits until each listens. */
    static Workers start(CorralHome home, int n, Map<String, String> extraEnv) throws IOException {
        Workers workers = new Workers();
        try {
            for (int i = 0; i < n; i++) {
                Map<String, String> env = new HashMap<>(home.env());
                env.put("NODE_APP_INSTANCE", Integer.toString(i));
                env.put("APP_NAME", ProxyFixture.APP);
                env.putAll(extraEnv);
                Path dir = Files.createTempDirectory(home.path(), "worker" + i + "-");
                workers.apps.add(AppProcess.start(dir, env));
            }
            for (AppProcess app : workers.apps) {
                app.awaitListening(Duration.ofSeconds(15));
            }
            return workers;
        } catch (IOException | RuntimeException e) {
            workers.close();
            throw e;
        }
    }

    AppProcess get(int i) {
        return apps.get(i);
    }

    @Override
    public void close() {
        apps.forEach(AppProcess::close);
    }
}
