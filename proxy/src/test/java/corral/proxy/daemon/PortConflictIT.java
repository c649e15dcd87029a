package corral.proxy.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import corral.fixtures.CorralHome;
import corral.proxy.install.CorralInstall;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A public port held by another process: start fails, names the holder, and leaves nothing running. */
class PortConflictIT {

    @RegisterExtension
    static final CorralHome HOME = new CorralHome();

    @Test
    void startFailsNamingTheProcessThatHoldsAPublicPort() throws Exception {
        CorralInstall corral = new CorralInstall(HOME, 1, 1);
        try (ServerSocket squatter = new ServerSocket()) {
            squatter.bind(new InetSocketAddress("0.0.0.0", corral.h5Port));

            CorralInstall.Result r = corral.control("start");

            assertEquals(1, r.exit(), r.toString());
            assertTrue(r.err().contains("port " + corral.h5Port + " is already in use by pid "
                    + ProcessHandle.current().pid()), r.toString());
            assertTrue(r.err().contains("java"), "names the command line: " + r);
            assertFalse(Files.exists(corral.runDir().resolve("admin.json")));
        }
    }
}
