package corral.workers.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import corral.workers.config.CpuSet;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The one place a worker's command line is put together, and launchers that cannot pin. */
class SetsidLauncherTest {

    @Test
    void aPinnedWorkerIsExecedThroughTasksetAfterSetsid() {
        assertEquals(List.of("setsid", "taskset", "-c", "0-13", "node", "app.js"),
                SetsidLauncher.commandLine(List.of("node", "app.js"), Optional.of(CpuSet.parse("13,0-12"))));
        assertEquals(List.of("setsid", "node", "app.js"),
                SetsidLauncher.commandLine(List.of("node", "app.js"), Optional.empty()));
    }

    @Test
    void aLauncherThatCannotPinRefusesRatherThanRunUnpinned() {
        ProcessLauncher plain = (command, cwd, env) -> {
            throw new AssertionError("must not start");
        };
        IOException e = assertThrows(IOException.class,
                () -> plain.launch(List.of("true"), Path.of("/"), Map.of(), Optional.of(CpuSet.parse("1"))));
        assertTrue(e.getMessage().contains("cannot pin a process to CPUs 1"), e.getMessage());
    }
}
