package corral.workers.config;

import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * The set-up of the tests that read ecosystem files: before each test, a fresh
 * {@link EcosystemFixture} over its own temporary directory {@link #dir}.
 */
abstract class EcosystemTest {

    @TempDir
    Path dir;
    EcosystemFixture fixture;

    @BeforeEach
    void setUpFixture() {
        fixture = new EcosystemFixture(dir);
    }
}
