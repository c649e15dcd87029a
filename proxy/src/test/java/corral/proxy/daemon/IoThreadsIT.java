package corral.proxy.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;

import corral.fixtures.CorralHome;
import corral.proxy.install.CorralInstall;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code io.threads} in corral.properties sets how many I/O threads the daemon runs (nginx's
 * {@code worker_processes}): counted from outside, in /proc; the daemon serves through them on the
 * vhost and the app ports.
 */
class IoThreadsIT {

    @RegisterExtension
    static final CorralHome HOME = new CorralHome();

    @Test
    void theDaemonRunsTheIoThreadsTheSettingNamesAndServesThroughThem() throws Exception {
        // one more than auto gives on this machine, so that the default cannot pass for the setting
        int threads = Math.max(2, Runtime.getRuntime().availableProcessors()) + 1;
        CorralInstall corral = new CorralInstall(HOME, 1, 2);
        Files.writeString(corral.release.resolve("corral.properties"), "io.threads = " + threads + "\nstatus.listen = off\n");
        corral.ok("start");
        try {
            assertEquals(threads, ioThreads(corral.daemonPid()), "threads named '<worker> I/O-<n>' in /proc");
            for (int port : new int[] {corral.h5Port, corral.vhostPort}) {
                for (int i = 0; i < 3; i++) {
                    HttpResponse<String> r = CorralInstall.get(port, "/h5/page/io-" + i);
                    assertEquals(200, r.statusCode(), "port " + port + ": " + r.body());
                }
            }
        } finally {
            corral.kill();
        }
    }

    /** The daemon's XNIO I/O threads: Undertow's worker names them "corral I/O-1", "corral I/O-2", ... */
    private static long ioThreads(long pid) throws IOException {
        try (Stream<Path> tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
            return tasks.filter(t -> {
                try {
                    return Files.readString(t.resolve("comm")).strip().matches("corral I/O-\\d+");
                } catch (IOException gone) {
                    return false;
                }
            }).count();
        }
    }
}
