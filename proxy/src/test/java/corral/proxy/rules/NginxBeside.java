package corral.proxy.rules;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.ArrayDeque;
import java.util.Deque;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The set-up every differential test class shares: the class is skipped where nginx is not
 * installed, and what its {@code @BeforeAll} starts (upstreams, nginx, Corral's listeners, a
 * {@link SideBySide}) is handed to {@link #add} and ended after all its tests, the last started
 * first, even when a test or the start itself failed. Register it on a static field:
 * {@code @RegisterExtension static final NginxBeside started = new NginxBeside();}.
 */
final class NginxBeside implements BeforeAllCallback, AfterAllCallback {

    private final Deque<AutoCloseable> started = new ArrayDeque<>();

    @Override
    public void beforeAll(ExtensionContext context) {
        assumeTrue(NginxOracle.available(), "nginx is not installed at " + NginxOracle.BINARY);
    }

    /** {@code resource}, to be closed after all tests; returns it. */
    <T extends AutoCloseable> T add(T resource) {
        started.push(resource);
        return resource;
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        Exception first = null;
        while (!started.isEmpty()) {
            try {
                started.pop().close();
            } catch (Exception e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
