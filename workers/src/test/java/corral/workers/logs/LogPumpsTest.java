package corral.workers.logs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The daemon's one log pump thread, with real processes and their pipes. */
class LogPumpsTest {

    @TempDir
    Path dir;

    /** Starts {@code sh -c script}; its stdout is pumped into {@code out}, its stderr into {@code err}. */
    static CompletableFuture<Void> pumped(LogPumps pumps, String script, LogFile out, LogFile err) throws Exception {
        Process p = new ProcessBuilder("sh", "-c", script)
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile())).start();
        var done = CompletableFuture.allOf(
                pumps.add(new StreamPump(p.getInputStream(), () -> !p.isAlive(), out, null, null)),
                pumps.add(new StreamPump(p.getErrorStream(), () -> !p.isAlive(), err, null, null)));
        p.onExit().thenRun(pumps::wake);
        return done;
    }

    @Test
    void aChildKilledNineRightAfterWritingHasEveryLineInItsFile() throws Exception {
        var pumps = new LogPumps("test-pumps");
        List<CompletableFuture<Void>> done = new ArrayList<>();
        List<LogFile> files = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            LogFile out = new LogFile(dir.resolve("out-" + i + ".log"));
            LogFile err = new LogFile(dir.resolve("err-" + i + ".log"));
            files.add(out);
            files.add(err);
            // Quiet first, so the pump thread sleeps its longest; then 40 KB in a burst (less than a
            // pipe holds: the child is not held up) and a SIGKILL before the pump has looked again.
            done.add(pumped(pumps, "sleep 0.3; i=0; while [ $i -lt 2000 ]; do echo \"line $i of a burst\"; "
                    + "i=$((i+1)); done; echo 'last words' >&2; printf 'no newline'; kill -9 $$", out, err));
        }
        CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
        for (LogFile f : files) {
            f.close();
        }
        for (int i = 0; i < 4; i++) {
            List<String> lines = Files.readAllLines(dir.resolve("out-" + i + ".log"));
            assertEquals(2001, lines.size());
            for (int n = 0; n < 2000; n++) {
                assertEquals("line " + n + " of a burst", lines.get(n));
            }
            assertEquals("no newline", lines.get(2000));
            assertEquals(List.of("last words"), Files.readAllLines(dir.resolve("err-" + i + ".log")));
        }
    }

    @Test
    void aGrandchildHoldingThePipeOpenDoesNotHoldTheEndOfTheStreamUp() throws Exception {
        var pumps = new LogPumps("test-pumps");
        LogFile out = new LogFile(dir.resolve("out.log"));
        LogFile err = new LogFile(dir.resolve("err.log"));
        long start = System.nanoTime();
        var done = pumped(pumps, "sleep 30 & echo \"grandchild $!\"; echo last; kill -9 $$", out, err);
        try {
            done.get(5, TimeUnit.SECONDS);
            assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(5));
            out.close();
            assertEquals("last", Files.readAllLines(dir.resolve("out.log")).get(1));
        } finally {
            out.close();
            err.close();
            Files.readAllLines(dir.resolve("out.log")).stream().filter(l -> l.startsWith("grandchild ")).findFirst()
                    .flatMap(l -> ProcessHandle.of(Long.parseLong(l.substring("grandchild ".length()))))
                    .ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    @Test
    void aChattyChildIsCopiedWholeAndTheThreadEndsWhenNoStreamIsLeft() throws Exception {
        var pumps = new LogPumps("test-pumps-chatty");
        LogFile out = new LogFile(dir.resolve("out.log"));
        LogFile err = new LogFile(dir.resolve("err.log"));
        // 200,000 lines, 5.3 MB: far more than a pipe holds, so the child waits on the pump thread.
        pumped(pumps, "seq -f 'line %06g of a chatty child' 1 200000", out, err).get(60, TimeUnit.SECONDS);
        out.close();
        err.close();
        List<String> lines = Files.readAllLines(dir.resolve("out.log"));
        assertEquals(200_000, lines.size());
        for (int n = 0; n < lines.size(); n++) {
            String line = lines.get(n);
            if (line.length() != 29 || !line.startsWith("line ") || !line.endsWith(" of a chatty child")
                    || Integer.parseInt(line.substring(5, 11)) != n + 1) {
                assertEquals("line " + (n + 1) + " of a chatty child", line, "line " + (n + 1));
            }
        }
        Awaitility.await("the pump thread ends").atMost(Duration.ofSeconds(2))
                .until(() -> Thread.getAllStackTraces().keySet().stream().noneMatch(t -> t.getName().equals("test-pumps-chatty")));
    }
}
