package corral.proxy.forward;

import corral.fixtures.AppProcess;
import corral.fixtures.CorralHome;
import java.util.Map;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * Real node {@link Workers} shared by all tests of a class, in the class's own {@link CorralHome}:
 * started before all its tests, ended after all, then the home's leak check runs. The set-up of
 * the forwarding tests that keep their workers for the whole class; register it on a static
 * field, {@code @RegisterExtension static final ClassWorkers workers = new ClassWorkers(1);}.
 */
final class ClassWorkers implements BeforeAllCallback, AfterAllCallback, TestWatcher {

    private final CorralHome home = new CorralHome();
    private final int count;
    private Workers workers;

    ClassWorkers(int count) {
        this.count = count;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        home.beforeAll(context);
        workers = Workers.start(home, count, Map.of());
    }

    /** Worker {@code i}, from 0. */
    AppProcess get(int i) {
        return workers.get(i);
    }

    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
        home.testFailed(context, cause);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        try {
            if (workers != null) {
                workers.close();
            }
        } finally {
            home.afterAll(context);
        }
    }
}
